/** The dashboard: where the time went over a chosen range. */
export default function DashboardPage() {
  return (
    <section>
      <h1>Dashboard</h1>
    </section>
  );
}
