import path from 'node:path';

/**
 * Why a published table could not be read as asked. `unknown_column` and `chart_unavailable` are the
 * caller's mistake (the route answers validation_failed); `unreadable` means the stored file is
 * missing or damaged, a fault of the node (internal_error), never the caller's.
 */
export const DATA_READER_ERROR_CODES = ['unknown_column', 'chart_unavailable', 'unreadable'] as const;
export type DataReaderErrorCode = (typeof DATA_READER_ERROR_CODES)[number];

export class DataReaderError extends Error {
  override readonly name = 'DataReaderError';
  readonly code: DataReaderErrorCode;
  readonly column?: string;

  constructor(code: DataReaderErrorCode, message: string, where: { column?: string; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.code = code;
    if (where.column !== undefined) this.column = where.column;
  }
}

export function unreadableFile(parquetPath: string, cause: unknown): DataReaderError {
  return new DataReaderError(
    'unreadable',
    `Le fichier de données « ${path.basename(parquetPath)} » est introuvable ou illisible sur le serveur : signalez-le à l’opérateur du nœud.`,
    { cause },
  );
}
