# hiring in a container, for a team that runs it on a server:
#   docker build -t hiring .
#   docker run --rm -v "$PWD:/work" hiring demo --out /work/demo
# Debian slim with what WeasyPrint needs (Pango, HarfBuzz's subsetting library) and fonts
# for every language of the bank (DejaVu: Latin and Cyrillic; Noto CJK: Chinese). Python
# packages come from requirements/run.lock, hashes checked, as `make demo` installs them.
# tests/test_docker.py builds this image and runs the demo in it where Docker is available.

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY requirements/run.lock requirements/run.lock
RUN python -m venv /opt/hiring \
 && /opt/hiring/bin/python -m pip install -q --no-cache-dir --require-hashes --no-deps \
      -r requirements/run.lock
COPY pyproject.toml README.md LICENSE ./
COPY hiring hiring
COPY question_banks question_banks
COPY templates templates
# The locked hatchling builds the wheel: nothing is resolved from the index.
RUN /opt/hiring/bin/python -m pip wheel -q --no-cache-dir --no-deps --no-build-isolation \
      -w /tmp/dist . \
 && /opt/hiring/bin/python -m pip install -q --no-cache-dir --no-deps /tmp/dist/hiring-*.whl

FROM python:3.11-slim-bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-dejavu-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 hiring
COPY --from=build /opt/hiring /opt/hiring
ENV PATH=/opt/hiring/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1
USER hiring
WORKDIR /work
ENTRYPOINT ["hiring"]
CMD ["--help"]
