import { MASK, isSecretName } from '@proclens/shared';
import type { EnvVarView, ProcessDetail } from '@proclens/shared';
import { NOT_PERMITTED } from './PermissionNote.tsx';

export function EnvironView({ detail }: { detail: ProcessDetail }) {
  const { environ } = detail;
  switch (environ.state) {
    case 'denied':
      return <p className="notice">Environment: {NOT_PERMITTED}.</p>;
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
            <td>{v.masked ? <MaskedValue name={v.name} value={v.value} /> : v.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const REVEAL_HINT = 'Start the server with --reveal-secrets to show it.';

/** A value with its secret parts hidden by the server: all of it (`null`), or each `MASK` in it. */
function MaskedValue({ name, value }: { name: string; value: string | null }) {
  if (value === null) {
    const why = isSecretName(name) ? 'the name looks secret' : 'the value holds a secret that could not be hidden in part';
    return (
      <span className="masked" title={`Masked: ${why}. ${REVEAL_HINT}`}>
        •••••• masked
      </span>
    );
  }
  return (
    <span title={`Partly masked: a password, token or private key in the value is hidden. ${REVEAL_HINT}`}>
      {value.split(MASK).map((part, i) => (
        <span key={i}>
          {i > 0 ? <span className="masked">{MASK}</span> : null}
          {part}
        </span>
      ))}
    </span>
  );
}
