# syntax=docker/dockerfile:1
# The Weft server: ingest, store, REST + live API, and the built web app it serves.
# Build from the repository root:
#   docker build -f deploy/images/server.Dockerfile -t weft/server:0.1.0 .

FROM node:20-bookworm AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@12.4.2
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
# The server, the web app and what they import; not the probe, so no BPF toolchain here.
RUN pnpm exec turbo run build --filter=@weft/server... --filter=@weft/web...
RUN node deploy/images/stage.mjs server /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production WEFT_HOST=0.0.0.0 WEFT_PORT=8080
WORKDIR /opt/weft
COPY --from=build --chown=root:root /out/ ./
# Not root: files stay root-owned and read-only to the server; it writes nothing to disk.
RUN groupadd --system --gid 10001 weft && useradd --system --uid 10001 --gid weft --no-create-home weft
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["node", "apps/server/dist/server.js"]
