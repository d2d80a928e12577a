# proclens as a container: the dashboard for the Docker host it runs on.
#
#   docker build --network=host -t proclens:local .
#   docker build --network=host --build-arg NODE_IMAGE=local/node:20 -t proclens:local .
#
# Run it with the host's pid namespace, cgroup namespace and network (see docker-compose.yml and
# docs/install.md): it shows the host's processes, not its own container's.
#
# --network=host: the build stages run npm against the registry; an engine without a bridge
# network (dockerd --bridge=none) can only give a build container the host's network.
# NODE_IMAGE: any Debian-based Node 20+ image; where no registry is reachable, make one from the
# host's node with scripts/build-node-base.sh (default tag local/node:20).
#
# No BuildKit-only syntax: docker-compose v1 builds with the classic builder (tested with it,
# Docker 20.10).
ARG NODE_IMAGE=node:20-bookworm-slim

# npm ci --ignore-scripts: no install script is needed here (esbuild and rolldown ship prebuilt
# binaries as optional packages; ssh2's optional native crypto, unused for a unix socket, would
# try to compile with a toolchain the image does not have).

# --- manifests: what npm ci needs, shared by the two install stages -----------------------
# Manifests first so that the npm layers stay cached while only sources change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY e2e/package.json e2e/

# --- build: the web app -------------------------------------------------------------------
FROM manifests AS build
# Only the web workspace's tree (it includes @proclens/shared): no vitest, playwright, typescript.
RUN npm ci --workspace=web --ignore-scripts --no-audit --no-fund --no-update-notifier && rm -rf /root/.npm
COPY shared shared
COPY web web
RUN npm run build --no-update-notifier

# --- deps: production node_modules for the server -----------------------------------------
FROM manifests AS deps
# The server's and shared's dependencies only (express, ws, dockerode, zod, and tsx, which runs
# the TypeScript sources); node_modules/@proclens/{server,shared} are links to ../../server etc.
RUN npm ci --omit=dev --workspace=server --workspace=shared --ignore-scripts --no-audit --no-fund --no-update-notifier && rm -rf /root/.npm

# --- the image ------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/web/dist web/dist
COPY package.json tsconfig.base.json ./
# package.json, tsconfig.json and src/ of each (.dockerignore leaves out tests and fixtures).
COPY shared shared
COPY server server
# Runs as root, on purpose: proclens reads every process's /proc/PID/{environ,fd,ns}, which the
# kernel allows to the same uid holding at least the target's capabilities, or to CAP_SYS_PTRACE
# (for dockerd and containerd even container root needs it: docker-compose.yml adds it), and it
# talks to docker.sock, which is root-equivalent anyway. A non-root USER would get neither (Docker
# gives it no effective capabilities). See docs/install.md ("Root or not").
USER root
# Listens on 127.0.0.1:7700 (PORT changes the port). Loopback only, so no EXPOSE: run it with
# --network=host and open http://127.0.0.1:7700/ on the host.
# A young generation of 4 MiB a half (V8 grows it to 16 MiB under the scanner's steady trickle of
# survivors): 20-30 MiB less RSS at 10,000 processes for a few more, cheap scavenges (bench:scan).
CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "server/src/main.ts"]
