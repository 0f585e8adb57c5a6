/** The CLI as a library: what the bin script runs, for embedding or testing. */
export { main, buildProgram } from './main';
