# The interchange command in a container, for a site mounted at /site.
#
#   docker build -t interchange .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" interchange
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" interchange check
#
# The first builds the site in the current folder into public/ (the default
# command is `build`); --user makes the files it writes yours. To serve a
# federating directory, listen on every interface of the container and
# publish the port to this machine only, behind the reverse proxy:
#
#   docker run -d --user "$(id -u interchange):$(id -g interchange)" \
#     -v /srv/interchange/site:/site -p 127.0.0.1:8080:8080 \
#     interchange federate --listen 0.0.0.0:8080

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# `dist` optimises the program as one unit (Cargo.toml). The caches keep
# downloaded crates and compiled dependencies between builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --profile dist --bin interchange \
    && cp target/dist/interchange /usr/local/bin/interchange

FROM debian:bookworm-slim
# git: a build dates entries from the site's history. ca-certificates: the
# federation server and introductions speak TLS to other hosts.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
# The site is mounted from outside, owned by whoever owns it there: git
# would refuse to read its history as another user.
RUN groupadd --system --gid 10001 interchange \
    && useradd --system --uid 10001 --gid 10001 --home-dir /site --no-create-home \
        --shell /usr/sbin/nologin interchange \
    && git config --system --add safe.directory '*'
COPY --from=build /usr/local/bin/interchange /usr/local/bin/interchange
USER 10001:10001
WORKDIR /site
EXPOSE 8080
ENTRYPOINT ["interchange"]
CMD ["build"]
