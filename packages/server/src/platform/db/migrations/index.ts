import type { Migration } from 'kysely';
import * as membersIdentity from './20261128160000_members_identity';
import * as authChangeNotifications from './20261128170000_auth_change_notifications';
import * as catalog from './20261128190000_catalog';
import * as ledger from './20261128200000_ledger';
import * as policies from './20261128210000_policies';
import * as contracts from './20261128220000_contracts';
import * as queries from './20261129000000_queries';
import * as privacyBudgets from './20261129010000_privacy_budgets';
import * as queryJoins from './20261129030000_query_joins';
import * as releasedCells from './20261129040000_released_cells';
import * as billing from './20261129050000_billing';
import * as projects from './20261129060000_projects';
import * as governance from './20261129070000_governance';
import * as network from './20261129080000_network';
import * as eventsMailing from './20261129090000_events_mailing';
import * as projectDatasets from './20261129100000_project_datasets';

/**
 * Every migration, by timestamped name. Listed explicitly rather than read from the folder so
 * that the bundle, tsx and the tests all see the same set in the same order.
 */
export const migrations: Record<string, Migration> = {
  '20261128160000_members_identity': membersIdentity,
  '20261128170000_auth_change_notifications': authChangeNotifications,
  '20261128190000_catalog': catalog,
  '20261128200000_ledger': ledger,
  '20261128210000_policies': policies,
  '20261128220000_contracts': contracts,
  '20261129000000_queries': queries,
  '20261129010000_privacy_budgets': privacyBudgets,
  '20261129030000_query_joins': queryJoins,
  '20261129040000_released_cells': releasedCells,
  '20261129050000_billing': billing,
  '20261129060000_projects': projects,
  '20261129070000_governance': governance,
  '20261129080000_network': network,
  '20261129090000_events_mailing': eventsMailing,
  '20261129100000_project_datasets': projectDatasets,
};
