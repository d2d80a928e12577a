import type { EnvVarView, ProcessDetail } from '@proclens/shared';

export function EnvironView({ detail }: { detail: ProcessDetail }) {
  const { environ } = detail;
  switch (environ.state) {
    case 'denied':
      return <p className="notice">Not permitted: reading another user’s environment needs root (run the server as root to see it).</p>;
    case 'zeroed':
      return (
        <p className="notice" data-testid="environ-zeroed">
          Zeroed: this process overwrote its environment with NUL bytes after it started (Debian’s redis-server does), so /proc shows nothing.
          {detail.containerEnv ? ' The container’s configured environment is shown below.' : ''}
        </p>
      );
    case 'empty':
      return <p className="muted">Empty.</p>;
    case 'ok':
      return <EnvList vars={environ.vars} />;
    default:
      return null;
  }
}

export function EnvList({ vars }: { vars: readonly EnvVarView[] }) {
  return (
    <table className="env">
      <tbody>
        {vars.map((v, i) => (
          <tr key={`${v.name}-${i}`}>
            <th>{v.name}</th>
            <td>
              {v.masked ? (
                <span className="masked" title="Masked: the name looks secret. Start the server with --reveal-secrets to show it.">
                  •••••• masked
                </span>
              ) : (
                v.value
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
