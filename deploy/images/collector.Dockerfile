# syntax=docker/dockerfile:1
# The Weft collector: the eBPF probe (C, libbpf, CO-RE) plus the Node collector that runs it.
# Build from the repository root:
#   docker build -f deploy/images/collector.Dockerfile -t weft/collector:0.1.0 .
# The probe's vmlinux.h comes from the build host's /sys/kernel/btf/vmlinux; CO-RE relocates it onto
# each node's kernel at load time, so any BTF-enabled kernel (5.8+) runs the same image.

FROM node:20-bookworm AS build
ENV DEBIAN_FRONTEND=noninteractive CI=true TURBO_TELEMETRY_DISABLED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev make pkg-config \
 && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@12.4.2
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
# The `weft` CLI and what it imports (@weft/bpf builds the probe); make again in case it did not.
RUN pnpm exec turbo run build --filter=@weft/cli... && make -C packages/bpf
RUN node deploy/images/stage.mjs collector /out

FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive NODE_ENV=production
# The collector's heap settings (packages/collector/src/v8Flags.ts), so that `weft collector` runs in
# place rather than starting Node again with them; the DaemonSet's NODE_OPTIONS takes precedence.
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=4 --v8-pool-size=1"
# The probe links libbpf, libelf and zlib statically by default; their runtime packages (Debian's
# libbpf 1.1) keep a dynamically linked build (make LIBS='-lbpf -lelf -lz') working too. Nothing else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 libelf1 zlib1g \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/weft
COPY --from=build /out/ ./
# uid 0, because loading eBPF needs it; the DaemonSet drops every capability but BPF, NET_ADMIN,
# PERFMON and SYS_RESOURCE, and runs it unprivileged with a read-only root filesystem.
USER 0
EXPOSE 10093
ENTRYPOINT ["node", "apps/cli/dist/main.js", "collector"]
