/** What is wrong with the page's URL (src/app/urlProblems.ts), until the reader dismisses it. */
export function UrlNotice({
  problems,
  onDismiss,
}: {
  readonly problems: readonly string[];
  readonly onDismiss: () => void;
}) {
  return (
    <section className="notice notice-url" aria-label="About this link" data-testid="url-problems">
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <button type="button" className="head-button" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}
