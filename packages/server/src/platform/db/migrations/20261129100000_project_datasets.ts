import { sql, type Kysely } from 'kysely';

/**
 * Datasets attached to a project (issue 10): open data a project uses needs no request nor
 * contract, yet belongs to its data flows. A party's admin or steward attaches a dataset with a
 * note saying what for; a dataset is attached once per project.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table project_datasets (
      project_id uuid not null references projects(id),
      dataset_id uuid not null references datasets(id),
      attached_by uuid references users(id),
      organisation_id uuid references organisations(id),
      note text,
      attached_at timestamptz not null default now(),
      primary key (project_id, dataset_id)
    )`.execute(db);
  await sql`create index project_datasets_dataset on project_datasets (dataset_id)`.execute(db);
}
