#!/usr/bin/env node
// The `proclens` command: runs the TypeScript server through tsx, with the built web app beside it.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/main.ts');
