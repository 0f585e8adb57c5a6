import type { ColumnRename } from './dialect';
import type { QualityIssue, QualityReport } from './types';

/** A report stays readable and small enough to store with the dataset: past this, issues are only counted. */
export const MAX_REPORTED_ISSUES = 100;

export class QualityCollector {
  private readonly issues: QualityIssue[] = [];
  private count = 0;

  add(issue: QualityIssue): void {
    this.count++;
    if (this.issues.length < MAX_REPORTED_ISSUES) this.issues.push(issue);
  }

  report(rejectedRows: number): QualityReport {
    return { issues: [...this.issues], issueCount: this.count, rejectedRows };
  }
}

export function renameIssues(renames: ColumnRename[]): QualityIssue[] {
  return renames.map((r) => ({
    kind: 'renamed_column',
    column: r.to,
    message:
      r.reason === 'empty'
        ? `La colonne n° ${r.index + 1} n’a pas de nom : elle s’appelle « ${r.to} ». Renommez-la dans le schéma si besoin.`
        : r.reason === 'duplicate'
          ? `Le nom « ${r.from.trim()} » est utilisé par plusieurs colonnes : la colonne n° ${r.index + 1} devient « ${r.to} ». Renommez-la dans le schéma si besoin.`
          : `Le nom de la colonne n° ${r.index + 1} est trop long : il est raccourci en « ${r.to} ».`,
  }));
}
