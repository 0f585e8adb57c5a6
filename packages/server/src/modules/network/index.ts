/**
 * The network between members: the needs board (needs and providers' answers, turned into
 * projects), news posts, and what each organisation shares, uses and needs for the directory.
 * Projects come from the projects module's `createProject`; notifications from contracts' `notify`.
 */
export { networkRoutes } from './routes';
export { createNeed, answerNeed, closeNeed, needToProject } from './commands/needs';
export { publishNews, updateNews, deleteNews } from './commands/news';
export { findNeed, listNeeds, listNews, networkCounts } from './repository';
