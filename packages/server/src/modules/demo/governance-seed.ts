import type { Context } from '../../platform/context';
import {
  addAgendaItem,
  addDocument,
  appointMember,
  castBallot,
  closeVote,
  findCommission,
  openVote,
  updateCommission,
  updateGates,
} from '../governance/index';
import { ETHICS_MEMBER } from './people';

/**
 * The five commissions of the demo association, through the same commands the operator and the
 * chairs use: members from several member organisations (chair first), one agenda item and one
 * document each, and a decision already taken (the economic model's vote on the 2027 budget).
 * Charter versions are put behind the ethics commission's vote; the fee is not, so the operator's
 * fee change in the billing journey stays immediate.
 */
const COMMISSIONS: { slug: string; members: string[]; agenda: [string, string]; document: [string, string] }[] = [
  {
    slug: 'charte-ethique',
    members: [ETHICS_MEMBER.email, 'admin@universite-de-toulouse.demo', 'admin@cnes.demo', 'admin@atmo-occitanie.demo', 'admin@qwant.demo'],
    agenda: ['2026-12-10', 'Relecture de la charte : données concernant des mineurs'],
    document: [
      'Mandat de la commission',
      'La commission charte éthique propose les versions de la charte, examine les demandes sensibles qui lui sont renvoyées et rend compte chaque année à l’assemblée générale.',
    ],
  },
  {
    slug: 'modele-economique',
    members: ['admin@region-occitanie.demo', 'admin@airbus.demo', 'admin@orange.demo', 'admin@insee.demo'],
    agenda: ['2026-12-15', 'Commission de l’association et crédits de contribution pour 2027'],
    document: [
      'Principes du modèle économique',
      'Les fournisseurs fixent leurs prix ; l’association prélève une commission sur ce qu’ils facturent, réduite pour la recherche, et rend des crédits aux contributeurs.',
    ],
  },
  {
    slug: 'animation-reseau',
    members: ['admin@aerospace-valley.demo', 'admin@agropolis-international.demo', 'admin@toulouse-metropole.demo'],
    agenda: ['2027-01-14', 'Calendrier des ateliers et du hackathon du premier semestre'],
    document: [
      'Guide d’accueil des nouveaux membres',
      'Bienvenue dans l’espace de données : signer la charte, publier un premier jeu, rejoindre un projet.',
    ],
  },
  {
    slug: 'projets',
    members: ['admin@montpellier-mediterranee-metropole.demo', 'admin@atout-france.demo', 'admin@ign.demo', 'admin@meteo-france.demo'],
    agenda: ['2026-12-08', 'Point d’étape Littoral 21 et besoins exprimés par les membres'],
    document: [
      'Grille d’examen des projets',
      'Un projet est examiné sur son objectif d’intérêt général, ses partenaires, les données demandées et le retour équitable prévu.',
    ],
  },
  {
    slug: 'commission-operateur',
    members: ['admin@universite-de-montpellier.demo', 'admin@atos.demo', 'admin@sante-publique-france.demo'],
    agenda: ['2027-01-21', 'Sobriété des traitements et hébergement des données'],
    document: ['Feuille de route numérique responsable', 'Mesurer l’énergie des requêtes, privilégier les agrégats, héberger en France.'],
  },
];

export async function seedDemoGovernance(ctx: Context, operatorId: string): Promise<void> {
  // Idempotent: a commission with members has been seeded already.
  if (await ctx.db.selectFrom('commission_members').select('user_id').limit(1).executeTakeFirst()) return;
  const actor = { userId: operatorId };
  const custom = (await findCommission(ctx.db, 'commission-operateur'))!;
  await updateCommission(ctx, custom, {
    name: 'Commission numérique responsable',
    description: 'Nommée par l’opérateur : sobriété des traitements, hébergement et réversibilité des données.',
  });
  const chairs = new Map<string, string>();
  for (const c of COMMISSIONS) {
    const commission = (await findCommission(ctx.db, c.slug))!;
    for (const [i, email] of c.members.entries()) {
      const { userId } = await appointMember(ctx, commission, { email, role: i === 0 ? 'chair' : 'member' });
      if (i === 0) chairs.set(c.slug, userId);
    }
    const chair = { userId: chairs.get(c.slug)! };
    await addAgendaItem(ctx, chair, commission, { date: c.agenda[0], title: c.agenda[1] });
    await addDocument(ctx, chair, commission, { title: c.document[0], text: c.document[1] });
  }

  // A decision on the record: the economic model commission adopted the 2027 budget.
  const economic = (await findCommission(ctx.db, 'modele-economique'))!;
  const chair = chairs.get('modele-economique')!;
  const vote = await openVote(ctx, { userId: chair }, economic, {
    commission: 'modele-economique',
    question: 'Adopter le budget prévisionnel 2027 de l’association ?',
    description: 'Budget équilibré à 180 000 € : cotisations, commission sur les usages et subvention régionale.',
    quorumPercent: 50,
    majority: 'simple',
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  const ballots: [string, 'pour' | 'contre' | 'abstention'][] = [
    ['admin@region-occitanie.demo', 'pour'],
    ['admin@airbus.demo', 'pour'],
    ['admin@orange.demo', 'abstention'],
  ];
  for (const [email, choice] of ballots) {
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await castBallot(ctx, { userId: user.id }, vote, choice);
  }
  await closeVote(ctx, vote, chair);

  await updateGates(ctx, actor, {
    items: [
      { action: 'charter_version', enabled: true, commission: 'charte-ethique', quorumPercent: 50, majority: 'simple', durationDays: 14 },
      { action: 'fee_change', enabled: false, commission: 'modele-economique' },
    ],
  });
}
