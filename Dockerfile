# The pipeline's image: the same image runs the code server, the webserver, the daemon and every run
# (helm/values.yaml; docs/deployment.md). Built with `docker build -t palimpsest-pipeline:TAG .`
#
# Two stages: the first installs the pinned dependencies into a virtual environment; the last copies that
# environment and the code onto a clean base, with no pip cache, no build tools, and a non-root user.
#
# The base is pinned by tag and by the digest of the tag's multi-architecture index (the same in both
# stages), so a rebuild gets the same base until the digest is changed on purpose. To move to a newer build
# of the tag: `docker buildx imagetools inspect python:3.11.14-slim-bookworm` prints the index digest
# ("Digest:"); put it in both FROM lines (Renovate's docker manager does the same). The image is built for
# linux/amd64: pgserver, a runtime dependency, publishes no Linux arm64 wheel.

# ---- build: the dependencies, pinned and hashed (requirements-image.txt, generated) --------------------
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Only the requirements first: a change to the code reuses this layer (and its download). Every file pip
# fetches must match a hash of the file, and only wheels are taken: nothing is built from source here.
COPY requirements-image.txt /tmp/requirements-image.txt
RUN pip install --no-cache-dir --require-hashes --only-binary=:all: -r /tmp/requirements-image.txt

# ---- runtime: the environment and the code, run as an unprivileged user --------------------------------
FROM python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d AS runtime

# The code reads sql/migrations beside the package (warehouse/migrate.py), so it runs from its source tree
# (/opt/palimpsest on PYTHONPATH) rather than from site-packages. The sandbox (sandbox/) is not in the image.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/opt/palimpsest \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    PALIMPSEST_HOME=/var/lib/palimpsest

RUN groupadd --system --gid 10001 palimpsest \
    && useradd --system --uid 10001 --gid palimpsest --home-dir /var/lib/palimpsest --create-home \
        --shell /usr/sbin/nologin palimpsest \
    && mkdir -p /opt/dagster/dagster_home \
    && chown palimpsest:palimpsest /opt/dagster/dagster_home

COPY --from=build /opt/venv /opt/venv

WORKDIR /opt/palimpsest
COPY pyproject.toml ./
COPY sql/ sql/
COPY palimpsest_pipeline/ palimpsest_pipeline/
# Bytecode compiled once here: PYTHONDONTWRITEBYTECODE keeps processes from writing it, so without this every
# process (each run, each parse worker) would compile the pipeline's modules from source when it starts.
RUN python -m compileall -q palimpsest_pipeline

USER 10001:10001

# The code server's gRPC port (helm/values.yaml names the same one).
EXPOSE 4266

CMD ["dagster", "code-server", "start", "-m", "palimpsest_pipeline.definitions", "-h", "0.0.0.0", "-p", "4266"]
