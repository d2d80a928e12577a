import type { ProcessDetail } from '@proclens/shared';

/** Said where the kernel refused a read; `PermissionNote` says once why. */
export const NOT_PERMITTED = 'not permitted';
const REFUSED_NAMES: Record<ProcessDetail['notPermitted'][number], string> = {
  environ: 'environment',
  exe: 'exe link',
  cwd: 'cwd link',
  fd: 'open files',
  ns: 'namespace links',
};
/** In the order the pane shows them. */
const REFUSED_ORDER: ReadonlyArray<ProcessDetail['notPermitted'][number]> = ['environ', 'exe', 'cwd', 'fd', 'ns'];

/**
 * Why: a process's environ, fds and ns/exe/cwd links are readable only by its own user with no
 * fewer capabilities, or with these two (docs/install.md, "Least privilege").
 */
export function PermissionNote({ detail }: { detail: ProcessDetail }) {
  if (detail.notPermitted.length === 0) return null;
  return (
    <p className="notice" data-testid="not-permitted">
      Not permitted to read its{' '}
      {REFUSED_ORDER.filter((what) => denied(detail, what))
        .map((what) => REFUSED_NAMES[what])
        .join(', ')}
      : the server needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (root has both) for another user’s processes and for those with more capabilities than its own.
    </p>
  );
}

export function denied(detail: ProcessDetail, what: ProcessDetail['notPermitted'][number]): boolean {
  return detail.notPermitted.includes(what);
}
