/** Your data (/data): export (JSON, CSV), import (Sundial or ActivityWatch export), delete the account. */
import '../../styles/settings.css';
import { ImportData } from './import-data';
import { DeleteAccount } from './delete-account';
import { exportUrl } from '../../api/data';

export default function DataPage() {
  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Your data</h1>
      </div>
      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">Export</h2>
        <p>
          Download everything Sundial holds about you. The JSON export has your activity, settings, categories, rules,
          devices and profile (never your password, codes or tokens) and can be imported into another Sundial. The CSV
          export has your activity, one row per event, for a spreadsheet.
        </p>
        <p className="actions">
          <a className="button" href={exportUrl('json')} download>
            Export everything (JSON)
          </a>
          <a className="button" href={exportUrl('csv')} download>
            Export activity (CSV)
          </a>
        </p>
      </section>
      <ImportData />
      <DeleteAccount />
    </section>
  );
}
