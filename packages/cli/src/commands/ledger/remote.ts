import { ApiError, type ErrorBody } from '@confiance/contract';
import { serverUrl } from '../../api';

/**
 * The ledger's public files (`/ledger/…`: checkpoint, verifier key, tiles) are plain text or bytes,
 * not JSON, and need no account: fetched here without a token, so that what a witness or an auditor
 * sees is exactly what any anonymous reader is shown.
 */

export async function fetchLedgerFile(path: string, url = serverUrl()): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, { headers: { accept: 'text/plain, application/octet-stream' } });
  } catch (error) {
    throw new ApiError(0, 'network_error', `Serveur injoignable (${url}) : ${(error as Error).message}`);
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) {
    let error: ErrorBody['error'] | undefined;
    try {
      error = (JSON.parse(new TextDecoder().decode(body)) as ErrorBody).error;
    } catch {
      error = undefined; // a proxy's HTML page, say: reported by status
    }
    throw new ApiError(
      response.status,
      error?.code ?? (response.status === 404 ? 'not_found' : 'internal_error'),
      error?.message ?? `${path} : HTTP ${response.status}`,
      error?.details,
      error?.requestId,
    );
  }
  return body;
}

export async function fetchLedgerText(path: string, url = serverUrl()): Promise<string> {
  return new TextDecoder().decode(await fetchLedgerFile(path, url));
}
