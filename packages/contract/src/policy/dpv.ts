/**
 * The purposes taxonomy of the W3C Data Privacy Vocabulary (DPV) 2.3, `https://w3id.org/dpv#`,
 * and the one matching rule the platform applies to it: a requested purpose satisfies an offered
 * one when it is the same concept or a narrower one (the closure of `skos:broader` over all
 * parents — several purposes have two, so the hierarchy is a DAG, not a tree).
 *
 * The table is transcribed from `2.3/dpv/modules/purposes.csv` of w3c/dpv at
 * f01a55c3c0983e35cdfdf80593ece3353faba7b8 (copy and provenance in
 * packages/contract/test/fixtures/dpv/; dpv.test.ts fails if the two drift apart). Terms, English
 * labels, definitions and broader concepts are DPV's, unchanged; the French labels are ours.
 * DPV is published under the W3C Software and Document License (2023):
 * https://www.w3.org/copyright/software-license-2023/
 *
 * The data is inline rather than read from a file because this module also runs in the browser.
 * The CSV's rows that are not purposes are left out: the properties `hasPurpose` and `hasSector`,
 * and `Sector`, a class of its own. `PublicInterest` is not here either: DPV defines it as a legal
 * basis, not a purpose.
 */

export const DPV_NAMESPACE = 'https://w3id.org/dpv#';
const DPV_PREFIX = 'dpv:';
const TOP = 'Purpose';

export interface DpvPurpose {
  /** Local name in the DPV namespace, e.g. `AcademicResearch`. */
  term: string;
  /** Direct `skos:broader` concepts (terms), as DPV lists them; empty only for `Purpose`. */
  broader: readonly string[];
  label: { fr: string; en: string };
  /** DPV's English definition, verbatim. */
  definition: string;
}

/** Purposes worth offering first in a picker: research, public benefit, then commercial and other uses. */
export const COMMON_PURPOSES: readonly string[] = Object.freeze([
  'ResearchAndDevelopment',
  'AcademicResearch',
  'ScientificResearch',
  'NonCommercialResearch',
  'CommercialResearch',
  'PublicBenefit',
  'ImprovePublicServices',
  'ImproveTransportMobility',
  'CombatClimateChange',
  'ImproveHealthcare',
  'ProvideOfficialStatistics',
  'PublicPolicyMaking',
  'CommercialPurpose',
  'ServiceProvision',
  'Marketing',
  'NonCommercialPurpose',
]);

interface Index {
  /** Every accepted spelling of a purpose (term, `dpv:` CURIE, full IRI) → its term. */
  readonly terms: ReadonlyMap<string, string>;
  readonly byTerm: ReadonlyMap<string, DpvPurpose>;
  /** Term → the term itself and every purpose it is transitively narrower than. */
  readonly ancestors: ReadonlyMap<string, ReadonlySet<string>>;
}

const EMPTY: ReadonlySet<string> = new Set();
let index: Index | undefined;
let descendantIndex: ReadonlyMap<string, ReadonlySet<string>> | undefined;

/**
 * Built on first use and kept: `purposeSatisfies` sits on the policy-evaluation hot path, where
 * it then costs three hash lookups.
 */
function getIndex(): Index {
  return (index ??= buildIndex());
}

function buildIndex(): Index {
  const terms = new Map<string, string>();
  const byTerm = new Map<string, DpvPurpose>();
  for (const purpose of DPV_PURPOSES) {
    byTerm.set(purpose.term, purpose);
    terms.set(purpose.term, purpose.term);
    terms.set(DPV_PREFIX + purpose.term, purpose.term);
    terms.set(DPV_NAMESPACE + purpose.term, purpose.term);
  }
  const ancestors = new Map<string, ReadonlySet<string>>();
  for (const purpose of DPV_PURPOSES) {
    // Every concept of the table is typed dpv:Purpose, so the top concept is an ancestor of each,
    // even where the broader chain leaves the purposes taxonomy: DPV 2.3 puts RightsFulfilment
    // under LegalObligation, a legal basis. Concepts outside the table are not followed, so an
    // ancestor set only ever holds purposes.
    const seen = new Set<string>([purpose.term, TOP]);
    const pending = [...purpose.broader];
    for (let term = pending.pop(); term !== undefined; term = pending.pop()) {
      const parent = byTerm.get(term);
      if (parent === undefined || seen.has(term)) continue;
      seen.add(term);
      pending.push(...parent.broader);
    }
    ancestors.set(purpose.term, seen);
  }
  return { terms, byTerm, ancestors };
}

function getDescendants(): ReadonlyMap<string, ReadonlySet<string>> {
  if (descendantIndex === undefined) {
    const descendants = new Map<string, Set<string>>(DPV_PURPOSES.map((p) => [p.term, new Set<string>()]));
    for (const [term, ancestors] of getIndex().ancestors) {
      for (const ancestor of ancestors) descendants.get(ancestor)?.add(term);
    }
    descendantIndex = descendants;
  }
  return descendantIndex;
}

function localName(value: string): string {
  if (value.startsWith(DPV_NAMESPACE)) return value.slice(DPV_NAMESPACE.length);
  if (value.startsWith(DPV_PREFIX)) return value.slice(DPV_PREFIX.length);
  return value;
}

/** Accepts 'AcademicResearch', 'dpv:AcademicResearch' or 'https://w3id.org/dpv#AcademicResearch'; returns the term or null if not a DPV purpose. */
export function purposeTerm(value: string): string | null {
  return getIndex().terms.get(value) ?? null;
}

export function isPurpose(value: string): boolean {
  return getIndex().terms.has(value);
}

/**
 * True when `requested` is the same purpose as `offered` or transitively narrower than it, so an
 * offer for `ResearchAndDevelopment` admits a request for `AcademicResearch` but not the reverse.
 * Either may be given in any accepted form; anything that is not a DPV purpose never matches.
 */
export function purposeSatisfies(requested: string, offered: string): boolean {
  const { terms, ancestors } = getIndex();
  const narrower = terms.get(requested);
  if (narrower === undefined) return false;
  const broader = terms.get(offered);
  if (broader === undefined) return false;
  return ancestors.get(narrower)?.has(broader) ?? false;
}

/** All ancestors of a purpose including itself (terms); empty for anything that is not a purpose. The set is shared: do not mutate it. */
export function purposeAncestors(value: string): ReadonlySet<string> {
  const { terms, ancestors } = getIndex();
  const term = terms.get(value);
  return (term === undefined ? undefined : ancestors.get(term)) ?? EMPTY;
}

/** All descendants of a purpose including itself (terms); empty for anything that is not a purpose. The set is shared: do not mutate it. */
export function purposeDescendants(value: string): ReadonlySet<string> {
  const term = getIndex().terms.get(value);
  return (term === undefined ? undefined : getDescendants().get(term)) ?? EMPTY;
}

/** French label (or English) for display; falls back to the term (the value without the DPV namespace or prefix) when unknown. */
export function purposeLabel(value: string, lang: 'fr' | 'en' = 'fr'): string {
  const { terms, byTerm } = getIndex();
  const term = terms.get(value);
  const purpose = term === undefined ? undefined : byTerm.get(term);
  return purpose === undefined ? localName(value) : purpose.label[lang];
}

/**
 * The DPV IRI of a term, `AcademicResearch` or `dpv:AcademicResearch` → `https://w3id.org/dpv#AcademicResearch`.
 * It only spells the IRI (a full DPV IRI comes back unchanged); use `isPurpose` to validate.
 */
export function purposeIri(term: string): string {
  return DPV_NAMESPACE + localName(term);
}

/**
 * Frozen because every policy decision reads it: a caller that pushed to a `broader` list would
 * otherwise silently widen what offers admit for the rest of the process.
 */
function frozen(purposes: DpvPurpose[]): readonly DpvPurpose[] {
  for (const purpose of purposes) {
    Object.freeze(purpose.broader);
    Object.freeze(purpose.label);
    Object.freeze(purpose);
  }
  return Object.freeze(purposes);
}

/** Every purpose of DPV 2.3, including the top concept `Purpose`, in the CSV's (alphabetical) order. */
export const DPV_PURPOSES: readonly DpvPurpose[] = frozen([
  {
    term: 'AcademicResearch',
    broader: ['ResearchAndDevelopment'],
    label: { fr: 'Recherche universitaire', en: 'Academic Research' },
    definition: 'Purposes associated with conducting or assisting with research conducted in an academic context e.g. within universities',
  },
  {
    term: 'AccountManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des comptes', en: 'Account Management' },
    definition:
      'Account Management refers to purposes associated with account management, such as to create, provide, maintain, and manage accounts',
  },
  {
    term: 'Advertising',
    broader: ['Marketing'],
    label: { fr: 'Publicité', en: 'Advertising' },
    definition:
      'Purposes associated with conducting advertising i.e. process or artefact used to call attention to a product, service, etc. through announcements, notices, or other forms of communication',
  },
  {
    term: 'AgeVerification',
    broader: ['Verification'],
    label: { fr: 'Vérification de l’âge', en: 'Age Verification' },
    definition: 'Purposes associated with verifying or authenticating age or age related information as a form of security',
  },
  {
    term: 'CombatClimateChange',
    broader: ['PublicBenefit'],
    label: { fr: 'Lutte contre le changement climatique', en: 'Combat Climate Change' },
    definition:
      'Purposes associated with combating the causes and consequences of climate change, including reducing gas emissions and fighting emergencies such as floods or wildfires',
  },
  {
    term: 'CommercialPurpose',
    broader: ['Purpose'],
    label: { fr: 'Finalité commerciale', en: 'Commercial Purpose' },
    definition: 'Purposes associated with processing activities performed in a commercial setting or with intention to commercialise',
  },
  {
    term: 'CommercialResearch',
    broader: ['CommercialPurpose', 'ResearchAndDevelopment'],
    label: { fr: 'Recherche à des fins commerciales', en: 'Commercial Research' },
    definition:
      'Purposes associated with conducting research in a commercial setting or with intention to commercialise e.g. in a company or sponsored by a company',
  },
  {
    term: 'CommunicationForCustomerCare',
    broader: ['CommunicationManagement', 'CustomerCare'],
    label: { fr: 'Communication avec les clients (service client)', en: 'Communication for Customer Care' },
    definition:
      'Customer Care Communication refers to purposes associated with communicating with customers for assisting them, resolving issues, ensuring satisfaction, etc. in relation to services provided',
  },
  {
    term: 'CommunicationManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des communications', en: 'Communication Management' },
    definition:
      'Communication Management refers to purposes associated with providing or managing communication activities e.g. to send an email for notifying some information',
  },
  {
    term: 'CounterMoneyLaundering',
    broader: ['FraudPreventionAndDetection'],
    label: { fr: 'Lutte contre le blanchiment de capitaux', en: 'Counter Money Laundering' },
    definition: 'Purposes associated with detection, prevention, and mitigation of mitigate money laundering',
  },
  {
    term: 'Counterterrorism',
    broader: ['PublicBenefit'],
    label: { fr: 'Lutte contre le terrorisme', en: 'Counterterrorism' },
    definition:
      'Purposes associated with activities that detect, prevent, mitigate, or otherwise perform activities to combat or eliminate terrorism (also referred to as anti-terrorism)',
  },
  {
    term: 'CustomerCare',
    broader: ['CustomerManagement'],
    label: { fr: 'Service client', en: 'Customer Care' },
    definition:
      'Customer Care refers to purposes associated with purposes for providing assistance, resolving issues, ensuring satisfaction, etc. in relation to services provided',
  },
  {
    term: 'CustomerClaimsManagement',
    broader: ['CustomerManagement'],
    label: { fr: 'Gestion des réclamations clients', en: 'Customer Claims Management' },
    definition: 'Customer Claims Management refers to purposes associated with managing claims, including repayment of monies owed',
  },
  {
    term: 'CustomerManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion de la clientèle', en: 'Customer Management' },
    definition:
      'Customer Management refers to purposes associated with managing activities related with past, current, and future customers',
  },
  {
    term: 'CustomerOrderManagement',
    broader: ['CustomerManagement'],
    label: { fr: 'Gestion des commandes clients', en: 'Customer Order Management' },
    definition:
      "Customer Order Management refers to purposes associated with managing customer orders i.e. processing of an order related to customer's purchase of good or services",
  },
  {
    term: 'CustomerRelationshipManagement',
    broader: ['CustomerManagement'],
    label: { fr: 'Gestion de la relation client', en: 'Customer Relationship Management' },
    definition:
      'Customer Relationship Management refers to purposes associated with managing and analysing interactions with past, current, and potential customers',
  },
  {
    term: 'CustomerSolvencyMonitoring',
    broader: ['CustomerManagement'],
    label: { fr: 'Suivi de la solvabilité des clients', en: 'Customer Solvency Monitoring' },
    definition: 'Customer Solvency Monitoring refers to purposes associated with monitor solvency of customers for financial diligence',
  },
  {
    term: 'DataAltruism',
    broader: ['PublicBenefit'],
    label: { fr: 'Altruisme en matière de données', en: 'Data Altruism' },
    definition:
      'Purposes associated with the voluntary sharing of data for the general interest of the public, such as healthcare or combating climate change',
  },
  {
    term: 'DeliveryOfGoods',
    broader: ['RequestedServiceProvision'],
    label: { fr: 'Livraison de biens', en: 'Delivery of Goods' },
    definition: 'Purposes associated with delivering goods and services requested or asked by consumer',
  },
  {
    term: 'DirectMarketing',
    broader: ['Marketing'],
    label: { fr: 'Prospection directe', en: 'Direct Marketing' },
    definition: 'Purposes associated with conducting direct marketing i.e. marketing communicated directly to the individual',
  },
  {
    term: 'DisputeManagement',
    broader: ['OrganisationGovernance'],
    label: { fr: 'Gestion des litiges', en: 'Dispute Management' },
    definition:
      'Purposes associated with activities that manage disputes by natural persons, private bodies, or public authorities relevant to organisation',
  },
  {
    term: 'EnforceAccessControl',
    broader: ['EnforceSecurity'],
    label: { fr: 'Contrôle d’accès', en: 'Enforce Access Control' },
    definition: 'Purposes associated with conducting or enforcing access control as a form of security',
  },
  {
    term: 'EnforceSecurity',
    broader: ['Purpose'],
    label: { fr: 'Sécurité', en: 'Enforce Security' },
    definition: 'Purposes associated with ensuring and enforcing security for data, personnel, or other related matters',
  },
  {
    term: 'EstablishContractualAgreement',
    broader: ['Purpose'],
    label: { fr: 'Conclusion d’un contrat', en: 'Establish Contractual Agreement' },
    definition: 'Purposes associated with carrying out data processing to establish an agreement, such as for entering into a contract',
  },
  {
    term: 'FraudPreventionAndDetection',
    broader: ['MisusePreventionAndDetection'],
    label: { fr: 'Prévention et détection de la fraude', en: 'Fraud Prevention and Detection' },
    definition: 'Purposes associated with fraud detection, prevention, and mitigation',
  },
  {
    term: 'FulfilmentOfContractualObligation',
    broader: ['FulfilmentOfObligation'],
    label: { fr: 'Exécution d’une obligation contractuelle', en: 'Fulfilment of Contractual Obligation' },
    definition: 'Purposes associated with carrying out data processing to fulfill a contractual obligation',
  },
  {
    term: 'FulfilmentOfObligation',
    broader: ['Purpose'],
    label: { fr: 'Exécution d’une obligation', en: 'Fulfilment of Obligation' },
    definition: 'Purposes associated with carrying out data processing to fulfill an obligation',
  },
  {
    term: 'HumanResourceManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des ressources humaines', en: 'Human Resource Management' },
    definition:
      "Purposes associated with managing humans and 'human resources' within the organisation for effective and efficient operations.",
  },
  {
    term: 'IdentityAuthentication',
    broader: ['EnforceSecurity'],
    label: { fr: 'Authentification de l’identité', en: 'Identity Authentication' },
    definition: 'Purposes associated with performing authentication based on identity as a form of security',
  },
  {
    term: 'IdentityVerification',
    broader: ['Verification'],
    label: { fr: 'Vérification de l’identité', en: 'Identity Verification' },
    definition: 'Purposes associated with verifying or authenticating identity as a form of security',
  },
  {
    term: 'ImproveExistingProductsAndServices',
    broader: ['OptimisationForController'],
    label: { fr: 'Amélioration des produits et services existants', en: 'Improve Existing Products and Services' },
    definition: 'Purposes associated with improving existing products and services',
  },
  {
    term: 'ImproveHealthcare',
    broader: ['PublicBenefit'],
    label: { fr: 'Amélioration des soins de santé', en: 'Improve Healthcare' },
    definition: 'Purposes associated with improving healthcare systems such as for personalised treatments and curing chronic diseases',
  },
  {
    term: 'ImproveInternalCRMProcesses',
    broader: ['CustomerRelationshipManagement', 'OptimisationForController'],
    label: { fr: 'Amélioration des processus internes de gestion de la relation client', en: 'Improve Internal CRM Processes' },
    definition: 'Purposes associated with improving customer-relationship management (CRM) processes',
  },
  {
    term: 'ImprovePublicServices',
    broader: ['PublicBenefit'],
    label: { fr: 'Amélioration des services publics', en: 'Improve Public Services' },
    definition: 'Purposes associated with improving the provision of public services, such as public safety, education or law enforcement',
  },
  {
    term: 'ImproveTransportMobility',
    broader: ['PublicBenefit'],
    label: { fr: 'Amélioration des transports et de la mobilité', en: 'Improve Transport and Mobility' },
    definition: 'Purposes associated with improving traffic, public transport systems or costs for drivers',
  },
  {
    term: 'IncreaseServiceRobustness',
    broader: ['OptimisationForController'],
    label: { fr: 'Renforcement de la robustesse des services', en: 'Increase Service Robustness' },
    definition: 'Purposes associated with improving robustness and resilience of services',
  },
  {
    term: 'InternalResourceOptimisation',
    broader: ['OptimisationForController'],
    label: { fr: 'Optimisation des ressources internes', en: 'Internal Resource Optimisation' },
    definition: 'Purposes associated with optimisation of internal resource availability and usage for organisation',
  },
  {
    term: 'LegalCompliance',
    broader: ['FulfilmentOfObligation'],
    label: { fr: 'Respect des obligations légales', en: 'Legal Compliance' },
    definition: 'Purposes associated with carrying out data processing to fulfill a legal or statutory obligation',
  },
  {
    term: 'MaintainFraudDatabase',
    broader: ['FraudPreventionAndDetection'],
    label: { fr: 'Tenue d’une base de données sur la fraude', en: 'Maintain Fraud Database' },
    definition: 'Purposes associated with maintaining a database related to identifying and identified fraud risks and fraud incidents',
  },
  {
    term: 'Marketing',
    broader: ['Purpose'],
    label: { fr: 'Marketing', en: 'Marketing' },
    definition:
      'Purposes associated with conducting marketing in relation to organisation or products or services e.g. promoting, selling, and distributing',
  },
  {
    term: 'MemberPartnerManagement',
    broader: ['OrganisationGovernance'],
    label: { fr: 'Gestion des membres et des partenaires', en: 'Members and Partners Management' },
    definition:
      'Purposes associated with maintaining a registry of shareholders, members, or partners for governance, administration, and management functions',
  },
  {
    term: 'MisusePreventionAndDetection',
    broader: ['EnforceSecurity'],
    label: { fr: 'Prévention et détection des usages abusifs', en: 'Misuse, Prevention and Detection' },
    definition: 'Prevention and Detection of Misuse or Abuse of services',
  },
  {
    term: 'NonCommercialPurpose',
    broader: ['Purpose'],
    label: { fr: 'Finalité non commerciale', en: 'Non-commercial Purpose' },
    definition:
      'Purposes associated with processing activities performed in a non-commercial setting or without intention to commercialise',
  },
  {
    term: 'NonCommercialResearch',
    broader: ['NonCommercialPurpose', 'ResearchAndDevelopment'],
    label: { fr: 'Recherche à but non lucratif', en: 'Non-Commercial Research' },
    definition: 'Purposes associated with conducting research in a non-commercial setting e.g. for a non-profit-organisation (NGO)',
  },
  {
    term: 'OptimisationForConsumer',
    broader: ['ServiceOptimisation'],
    label: { fr: 'Optimisation au bénéfice de l’utilisateur', en: 'Optimisation for Consumer' },
    definition: 'Purposes associated with optimisation of activities and services for consumer or user',
  },
  {
    term: 'OptimisationForController',
    broader: ['ServiceOptimisation'],
    label: { fr: 'Optimisation au bénéfice du responsable du traitement', en: 'Optimisation for Controller' },
    definition: 'Purposes associated with optimisation of activities and services for provider or controller',
  },
  {
    term: 'OptimiseUserInterface',
    broader: ['OptimisationForConsumer'],
    label: { fr: 'Optimisation de l’interface utilisateur', en: 'Optimise User Interface' },
    definition: 'Purposes associated with optimisation of interfaces presented to the user',
  },
  {
    term: 'OrganisationComplianceManagement',
    broader: ['OrganisationGovernance'],
    label: { fr: 'Gestion de la conformité interne', en: 'Organisation Compliance Management' },
    definition: 'Purposes associated with managing compliance for organisation in relation to internal policies',
  },
  {
    term: 'OrganisationGovernance',
    broader: ['Purpose'],
    label: { fr: 'Gouvernance de l’organisation', en: 'Organisation Governance' },
    definition: 'Purposes associated with conducting activities and functions for governance of an organisation',
  },
  {
    term: 'OrganisationRiskManagement',
    broader: ['OrganisationGovernance'],
    label: { fr: 'Gestion des risques de l’organisation', en: 'Organisation Risk Management' },
    definition: "Purposes associated with managing risk for organisation's activities",
  },
  {
    term: 'PaymentManagement',
    broader: ['ServiceManagement'],
    label: { fr: 'Gestion des paiements', en: 'Payment Management' },
    definition: 'Purposes associated with processing and managing payment in relation to service, including invoicing and records',
  },
  {
    term: 'Personalisation',
    broader: ['Purpose'],
    label: { fr: 'Personnalisation', en: 'Personalisation' },
    definition:
      'Purposes associated with creating and providing customisation based on attributes and/or needs of person(s) or context(s).',
  },
  {
    term: 'PersonalisedAdvertising',
    broader: ['Advertising', 'Personalisation'],
    label: { fr: 'Publicité personnalisée', en: 'Personalised Advertising' },
    definition: 'Purposes associated with creating and providing personalised advertising',
  },
  {
    term: 'PersonalisedBenefits',
    broader: ['ServicePersonalisation'],
    label: { fr: 'Avantages personnalisés', en: 'Personalised Benefits' },
    definition: 'Purposes associated with creating and providing personalised benefits for a service',
  },
  {
    term: 'PersonnelBehaviourMonitoring',
    broader: ['PersonnelMonitoring'],
    label: { fr: 'Surveillance du comportement du personnel', en: 'Personnel Behaviour Monitoring' },
    definition: 'Purposes associated with monitoring behaviour of personnel',
  },
  {
    term: 'PersonnelHiring',
    broader: ['PersonnelManagement'],
    label: { fr: 'Embauche du personnel', en: 'Personnel Hiring' },
    definition: 'Purposes associated with management and execution of hiring processes of personnel',
  },
  {
    term: 'PersonnelManagement',
    broader: ['HumanResourceManagement'],
    label: { fr: 'Gestion du personnel', en: 'Personnel Management' },
    definition:
      'Purposes associated with management of personnel associated with the organisation e.g. evaluation and management of employees and intermediaries',
  },
  {
    term: 'PersonnelMonitoring',
    broader: ['PersonnelManagement'],
    label: { fr: 'Surveillance du personnel', en: 'Personnel Monitoring' },
    definition: 'Purposes associated with monitoring of personnel',
  },
  {
    term: 'PersonnelOffboarding',
    broader: ['PersonnelManagement'],
    label: { fr: 'Départ du personnel', en: 'Personnel Offboarding' },
    definition:
      'Purposes associated with offboarding of personnel i.e. activities and processes carried out when the person is exiting the company or role',
  },
  {
    term: 'PersonnelOnboarding',
    broader: ['PersonnelHiring'],
    label: { fr: 'Intégration du personnel', en: 'Personnel Onboarding' },
    definition: 'Purposes associated with onboarding and integration of personnel within an organisation',
  },
  {
    term: 'PersonnelPayment',
    broader: ['PersonnelManagement'],
    label: { fr: 'Paie du personnel', en: 'Personnel Payment' },
    definition: 'Purposes associated with management and execution of payment of personnel',
  },
  {
    term: 'PersonnelPerformanceEvaluation',
    broader: ['PersonnelPerformanceManagement'],
    label: { fr: 'Évaluation des performances du personnel', en: 'Personnel Performance Evaluation' },
    definition: 'Purposes associated with evaluation or assessment of performance of employees',
  },
  {
    term: 'PersonnelPerformanceManagement',
    broader: ['PersonnelManagement', 'PersonnelMonitoring'],
    label: { fr: 'Gestion des performances du personnel', en: 'Personnel Performance Management' },
    definition: 'Purposes associated with management of performance of personnel',
  },
  {
    term: 'PersonnelPerformanceMonitoring',
    broader: ['PersonnelMonitoring', 'PersonnelPerformanceManagement'],
    label: { fr: 'Suivi des performances du personnel', en: 'Personnel Performance Monitoring' },
    definition: 'Purposes associated with monitoring of performance of personnel',
  },
  {
    term: 'PersonnelPerformancePrediction',
    broader: ['PersonnelPerformanceManagement'],
    label: { fr: 'Prédiction des performances du personnel', en: 'Personnel Performance Prediction' },
    definition: 'Purposes associated with prediction of performance of personnel',
  },
  {
    term: 'PersonnelPromotionManagement',
    broader: ['PersonnelManagement'],
    label: { fr: 'Gestion des promotions du personnel', en: 'Personnel Promotion Management' },
    definition: 'Purposes associated with determination and management of promotion of personnel',
  },
  {
    term: 'PersonnelTerminationManagement',
    broader: ['PersonnelManagement'],
    label: { fr: 'Gestion des fins de contrat du personnel', en: 'Personnel Termination Management' },
    definition: 'Purposes associated with determination and management of termination of personnel',
  },
  {
    term: 'PersonnelWorkloadManagement',
    broader: ['PersonnelManagement'],
    label: { fr: 'Gestion de la charge de travail du personnel', en: 'Personnel Workload Management' },
    definition: 'Purposes assocaited with determination, scheduling, planning, and carrying out workload management of personnel',
  },
  {
    term: 'PoliticalCampaign',
    broader: ['Advertising', 'Personalisation'],
    label: { fr: 'Campagne politique', en: 'Political Campaign' },
    definition:
      'Purposes associated with political campaign activities related to promotion and advertisement of positions and candidates in elections at local, state or regional, or national and international levels',
  },
  {
    term: 'ProtectionOfIPR',
    broader: ['FulfilmentOfObligation'],
    label: { fr: 'Protection des droits de propriété intellectuelle', en: 'Protection of Intellectual Property Rights' },
    definition: 'Purposes associated with the protection of intellectual property rights',
  },
  {
    term: 'ProtectionOfNationalSecurity',
    broader: ['PublicBenefit'],
    label: { fr: 'Protection de la sécurité nationale', en: 'Protection of National Security' },
    definition: 'Purposes associated with the protection of national security',
  },
  {
    term: 'ProtectionOfPublicSecurity',
    broader: ['PublicBenefit'],
    label: { fr: 'Protection de la sécurité publique', en: 'Protection of Public Security' },
    definition: 'Purposes associated with the protection of public security',
  },
  {
    term: 'ProvideEventRecommendations',
    broader: ['ProvidePersonalisedRecommendations'],
    label: { fr: 'Recommandations d’événements', en: 'Provide Event Recommendations' },
    definition: 'Purposes associated with creating and providing personalised recommendations for events',
  },
  {
    term: 'ProvideOfficialStatistics',
    broader: ['PublicBenefit'],
    label: { fr: 'Production de statistiques publiques', en: 'Provide Official Statistics' },
    definition: 'Purposes associated with facilitating the development, production and dissemination of reliable official statistics',
  },
  {
    term: 'ProvidePersonalisedRecommendations',
    broader: ['ServicePersonalisation'],
    label: { fr: 'Recommandations personnalisées', en: 'Provide Personalised Recommendations' },
    definition: 'Purposes associated with creating and providing personalised recommendations',
  },
  {
    term: 'ProvideProductRecommendations',
    broader: ['ProvidePersonalisedRecommendations'],
    label: { fr: 'Recommandations de produits', en: 'Provide Product Recommendations' },
    definition: 'Purposes associated with creating and providing product recommendations e.g. suggest similar products',
  },
  {
    term: 'PublicBenefit',
    broader: ['Purpose'],
    label: { fr: 'Intérêt public / bénéfice pour la société', en: 'Public Benefit' },
    definition: 'Purposes undertaken and intended to provide benefit to public or society',
  },
  {
    term: 'PublicPolicyMaking',
    broader: ['PublicBenefit'],
    label: { fr: 'Élaboration des politiques publiques', en: 'Public Policy Making' },
    definition: 'Purposes associated with public policy making, such as the development of new laws',
  },
  {
    term: 'PublicRelations',
    broader: ['Marketing'],
    label: { fr: 'Relations publiques', en: 'Public Relations' },
    definition:
      'Purposes associated with managing and conducting public relations processes, including creating goodwill for the organisation',
  },
  {
    term: 'Purpose',
    broader: [],
    label: { fr: 'Finalité', en: 'Purpose' },
    definition: 'Purpose or (broader) Goal associated with data or technology',
  },
  {
    term: 'RecordManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des enregistrements et des archives', en: 'Record Management' },
    definition:
      'Purposes associated with manage creation, storage, and use of records relevant to operations, events, and processes e.g. to store logs or access requests',
  },
  {
    term: 'RecruitmentAdvertising',
    broader: ['Advertising', 'PersonnelHiring'],
    label: { fr: 'Offres d’emploi', en: 'Recruitment Advertising' },
    definition: 'Purposes associated with advertisement for Recruitments and personnel hiring',
  },
  {
    term: 'RecruitmentApplicantBackgroundCheck',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Vérification des antécédents des candidats', en: 'Recruitment Applicant Background Check' },
    definition: 'Purposes assocaited with conducting background checks for prospective and current job applicants for recruitment',
  },
  {
    term: 'RecruitmentApplicantCriminalBackgroundCheck',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Vérification des antécédents judiciaires des candidats', en: 'Recruitment Applicant Criminal Background Check' },
    definition:
      'Purposes associated with conducting criminal background assessment for prospective and current job applicants for recruitment',
  },
  {
    term: 'RecruitmentApplicantInformationAuthentication',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Vérification des informations fournies par les candidats', en: 'Recruitment Applicant Information Authentication' },
    definition: 'Purposes associated with authentication and verification of information as part of recruitment',
  },
  {
    term: 'RecruitmentApplicantSelection',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Sélection des candidats', en: 'Recruitment Applicant Selection' },
    definition:
      'Purposes associated with determination or selection of candidates, whether for a specific job or job pool, or for a specific stage as part of recruitment',
  },
  {
    term: 'RecruitmentApplicationAnalysis',
    broader: ['RecruitmentApplicationManagement'],
    label: { fr: 'Analyse des candidatures', en: 'Recruitment Application Analysis' },
    definition: 'Purposes assocaited with analysis of job applications or job candidates for recruitment',
  },
  {
    term: 'RecruitmentApplicationManagement',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Gestion des candidatures', en: 'Recruitment Application Management' },
    definition: 'Purposes associated with managing job applications for recruitment',
  },
  {
    term: 'RecruitmentApplicationScreening',
    broader: ['RecruitmentApplicationManagement'],
    label: { fr: 'Présélection des candidatures', en: 'Recruitment Application Screening' },
    definition: 'Purposes associated with screening and filtering of job applications or job candidates for recruitment',
  },
  {
    term: 'RecruitmentInterviewAnalysis',
    broader: ['RecruitmentInterviewManagement'],
    label: { fr: 'Analyse des entretiens d’embauche', en: 'Recruitment Interview Analysis' },
    definition: 'Purposes associated with analysis of interviews, including the people and involved, for recruitment',
  },
  {
    term: 'RecruitmentInterviewAssessment',
    broader: ['RecruitmentInterviewManagement'],
    label: { fr: 'Évaluation des entretiens d’embauche', en: 'Recruitment Interview Assessment' },
    definition: 'Purposes associated with assessment of interviews, including assessment of people and information, for recruitment',
  },
  {
    term: 'RecruitmentInterviewManagement',
    broader: ['RecruitmentManagement'],
    label: { fr: 'Gestion des entretiens d’embauche', en: 'Recruitment Interview Management' },
    definition: 'Purposes associated conducting and managing interviews for recruitment',
  },
  {
    term: 'RecruitmentInterviewScheduling',
    broader: ['RecruitmentInterviewManagement'],
    label: { fr: 'Planification des entretiens d’embauche', en: 'Recruitment Interview Scheduling' },
    definition: 'Purposes associated with scheduling interviews for recruitment',
  },
  {
    term: 'RecruitmentManagement',
    broader: ['PersonnelHiring'],
    label: { fr: 'Gestion du recrutement', en: 'Recruitment Management' },
    definition:
      'Purposes assocaited with recruitment of personnel, which includes identifying, sourcing, screening, filtering, shortlisting, and interviewing candidates',
  },
  {
    term: 'RecruitmentTargetedAdvertising',
    broader: ['RecruitmentAdvertising', 'TargetedAdvertising'],
    label: { fr: 'Offres d’emploi ciblées', en: 'Targeted Recruitment Advertising' },
    definition: 'Purposes associated with targeted advertisement for Recruitments and personnel hiring',
  },
  {
    term: 'RepairImpairments',
    broader: ['ServiceManagement'],
    label: { fr: 'Réparation des dysfonctionnements', en: 'Repair Impairments' },
    definition:
      'Purposes associated with identifying, rectifying, or otherwise undertaking activities intended to fix or repair impairments to existing functionalities',
  },
  {
    term: 'RequestedServiceProvision',
    broader: ['ServiceProvision'],
    label: { fr: 'Fourniture du service demandé', en: 'Requested Service Provision' },
    definition: 'Purposes associated with delivering services as requested by user or consumer',
  },
  {
    term: 'ResearchAndDevelopment',
    broader: ['Purpose'],
    label: { fr: 'Recherche et développement', en: 'Research and Development' },
    definition: 'Purposes associated with conducting research and development for new methods, products, or services',
  },
  {
    term: 'RightsFulfilment',
    broader: ['LegalObligation'],
    label: { fr: 'Exercice des droits prévus par la loi', en: 'Rights Fulfilment' },
    definition: 'Purposes associated with the fulfillment of rights specified in law',
  },
  {
    term: 'ScientificResearch',
    broader: ['ResearchAndDevelopment'],
    label: { fr: 'Recherche scientifique', en: 'Scientific Research' },
    definition: 'Purposes associated with scientific research',
  },
  {
    term: 'SearchFunctionalities',
    broader: ['ServiceProvision'],
    label: { fr: 'Fonctions de recherche', en: 'Search Functionalities' },
    definition: 'Purposes associated with providing searching, querying, or other forms of information retrieval related functionalities',
  },
  {
    term: 'SellDataToThirdParties',
    broader: ['SellProducts'],
    label: { fr: 'Vente de données à des tiers', en: 'Sell Data to Third Parties' },
    definition: 'Purposes associated with selling or sharing data or information to third parties',
  },
  {
    term: 'SellInsightsFromData',
    broader: ['SellProducts'],
    label: { fr: 'Vente d’analyses tirées des données', en: 'Sell Insights from Data' },
    definition: 'Purposes associated with selling or sharing insights obtained from analysis of data',
  },
  {
    term: 'SellProducts',
    broader: ['ServiceProvision'],
    label: { fr: 'Vente de produits ou de services', en: 'Sell Products' },
    definition: 'Purposes associated with selling products or services',
  },
  {
    term: 'SellProductsToDataSubject',
    broader: ['SellProducts'],
    label: { fr: 'Vente de produits ou de services à la personne concernée', en: 'Sell Products to Data Subject' },
    definition: 'Purposes associated with selling products or services to the user, consumer, or data subjects',
  },
  {
    term: 'ServiceAccessDetermination',
    broader: ['ServiceManagement'],
    label: { fr: 'Contrôle des conditions d’accès au service', en: 'Service Access Determination' },
    definition:
      'Purposes associated with the determination of whether specific conditions or criteria are met for accessing, using, or gaining access to a service',
  },
  {
    term: 'ServiceManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des services', en: 'Service Management' },
    definition: 'Purposes associated with the management of services or products',
  },
  {
    term: 'ServiceMonitoring',
    broader: ['ServiceManagement'],
    label: { fr: 'Suivi des services', en: 'Service Monitoring' },
    definition:
      'Purposes associated with the monitoring of services or products to understand their performance and utilisation with a view to inform their management',
  },
  {
    term: 'ServiceOptimisation',
    broader: ['ServiceManagement'],
    label: { fr: 'Optimisation des services', en: 'Service Optimisation' },
    definition: 'Purposes associated with optimisation of services or activities',
  },
  {
    term: 'ServicePersonalisation',
    broader: ['Personalisation', 'ServiceManagement'],
    label: { fr: 'Personnalisation des services', en: 'Service Personalisation' },
    definition: 'Purposes associated with providing personalisation within services or product or activities',
  },
  {
    term: 'ServiceProvision',
    broader: ['ServiceManagement'],
    label: { fr: 'Fourniture de services', en: 'Service Provision' },
    definition: 'Purposes associated with providing service or product or activities',
  },
  {
    term: 'ServiceRegistration',
    broader: ['ServiceManagement'],
    label: { fr: 'Inscription au service', en: 'Service Registration' },
    definition: 'Purposes associated with registering users and collecting information required for providing a service',
  },
  {
    term: 'ServiceUsageAnalytics',
    broader: ['ServiceMonitoring'],
    label: { fr: 'Mesure d’utilisation des services', en: 'Service Usage Analytics' },
    definition: 'Purposes associated with conducting analysis and reporting related to usage of services or products',
  },
  {
    term: 'SocialMediaMarketing',
    broader: ['Marketing'],
    label: { fr: 'Marketing sur les réseaux sociaux', en: 'Social Media Marketing' },
    definition: 'Purposes associated with conducting marketing through social media',
  },
  {
    term: 'TargetedAdvertising',
    broader: ['PersonalisedAdvertising'],
    label: { fr: 'Publicité ciblée', en: 'Targeted Advertising' },
    definition:
      'Purposes associated with creating and providing personalised advertisement where the personalisation is targeted to a specific individual or group of individuals',
  },
  {
    term: 'TechnicalServiceProvision',
    broader: ['ServiceProvision'],
    label: { fr: 'Fourniture technique des services', en: 'Technical Service Provision' },
    definition: 'Purposes associated with managing and providing technical processes and functions necessary for delivering services',
  },
  {
    term: 'UserInterfacePersonalisation',
    broader: ['ServicePersonalisation'],
    label: { fr: 'Personnalisation de l’interface utilisateur', en: 'User Interface Personalisation' },
    definition: 'Purposes associated with personalisation of interfaces presented to the user',
  },
  {
    term: 'VendorManagement',
    broader: ['Purpose'],
    label: { fr: 'Gestion des fournisseurs', en: 'Vendor Management' },
    definition: 'Purposes associated with manage orders, payment, evaluation, and prospecting related to vendors',
  },
  {
    term: 'VendorPayment',
    broader: ['VendorManagement'],
    label: { fr: 'Paiement des fournisseurs', en: 'Vendor Payment' },
    definition: 'Purposes associated with managing payment of vendors',
  },
  {
    term: 'VendorRecordsManagement',
    broader: ['VendorManagement'],
    label: { fr: 'Gestion des dossiers fournisseurs', en: 'Vendor Records Management' },
    definition: 'Purposes associated with managing records and orders related to vendors',
  },
  {
    term: 'VendorSelectionAssessment',
    broader: ['VendorManagement'],
    label: { fr: 'Sélection et évaluation des fournisseurs', en: 'Vendor Selection Assessment' },
    definition: 'Purposes associated with managing selection, assessment, and evaluation related to vendors',
  },
  {
    term: 'Verification',
    broader: ['EnforceSecurity'],
    label: { fr: 'Vérification', en: 'Verification' },
    definition: 'Purposes association with verification e.g. information, identity, integrity',
  },
]);
