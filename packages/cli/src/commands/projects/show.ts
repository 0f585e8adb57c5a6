import { connect } from '../../api';
import { printJson } from '../../output';
import { getProject, printProjectDetail } from './project';

export async function projectsShow(id: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const project = await getProject(client, id);
  if (options.json) printJson(project);
  else printProjectDetail(project);
}
