import { connect } from '../../api';
import { CliError } from '../../errors';
import { print, printJson } from '../../output';
import { readJson } from '../ledger/files';
import { EXIT_UNVERIFIED } from '../ledger/verdict';
import { getContract } from './contract';
import { verifyAgreementJws, type ContractKey } from './jws';

/**
 * Checks a contract's signed agreement on this machine: the JWS against the node's contract key,
 * and its payload against the agreement the contract shows. Exit code 3 when either does not hold.
 * With --key-file the key comes from elsewhere (a copy kept when the contract was signed): a node
 * that changed its key to sign altered agreements would otherwise be checked against itself.
 */
export async function contractsVerify(id: string, options: { keyFile?: string; json?: boolean }): Promise<void> {
  const pinned = options.keyFile !== undefined ? contractKey(await readJson(options.keyFile, 'la clé de contrat'), options.keyFile) : null;
  const { client } = await connect({ requireAuth: true });
  const contract = await getContract(client, id);
  const key = pinned ?? (await client.contracts.key());
  const result = verifyAgreementJws(contract.jws, contract.agreement, key);
  const { valid, ...checks } = result;
  if (options.json)
    printJson({ verified: valid, contract: contract.id, version: contract.version, keySource: pinned ? 'file' : 'node', ...checks });
  else {
    print(
      `Contrat ${contract.id} (version ${contract.version}) — « ${contract.dataset.title} », ${contract.provider.name} → ${contract.consumer.name}`,
    );
    print(`${result.signature.ok ? '✓' : '✗'} Signature : ${result.signature.reason}`);
    print(`${result.payload.ok ? '✓' : '✗'} Contenu : ${result.payload.reason}`);
    if (valid) print('Vérifié : l’accord est signé par la clé de contrat du nœud, et c’est bien celui que le contrat présente.');
  }
  if (!valid) {
    const failed = [result.signature, result.payload].filter((c) => !c.ok).map((c) => c.reason);
    throw new CliError(
      `Vérification échouée : ${failed.join(' ; ')}. Ne vous fiez pas à ces conditions : alertez les parties et l’opérateur du nœud.`,
      {
        exitCode: EXIT_UNVERIFIED,
        code: 'verification_failed',
      },
    );
  }
}

/** The key as /api/v1/contract-key serves it ({ kid, alg, jwk }), or a bare JWK with its kid. */
function contractKey(value: unknown, file: string): ContractKey {
  const v = value as { kid?: unknown; jwk?: unknown };
  if (typeof v === 'object' && v !== null) {
    if (typeof v.jwk === 'object' && v.jwk !== null && typeof v.kid === 'string')
      return { kid: v.kid, jwk: v.jwk as Record<string, unknown> };
    if ('kty' in v && typeof v.kid === 'string') return { kid: v.kid, jwk: v as Record<string, unknown> };
  }
  throw new CliError(`${file} doit contenir la clé de contrat telle que /api/v1/contract-key la sert : { "kid", "alg", "jwk" }.`, {
    code: 'invalid_file',
  });
}
