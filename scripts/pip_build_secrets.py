"""This machine's pip settings as two build secrets for the Dockerfile's `pip install`.

    python scripts/pip_build_secrets.py OUT_DIR

writes OUT_DIR/pip.conf (id pip_conf) and, when pip is told to trust a CA bundle, a copy of it
as OUT_DIR/pip-cert.pem (id pip_cert), and prints the `--secret` arguments for `docker build`,
one a line.
The settings are what `pip config list` reports (pip's configuration files and PIP_* variables,
the variables last, as pip applies them), limited to how pip reaches an index: index URLs,
trusted hosts, the CA bundle, proxy, timeout and retries. Local paths (file:// indexes,
find-links folders, constraints) are left out: they do not exist inside the build. Index URLs
may carry credentials, which is why all of it is a secret and not a build argument.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

# Where the Dockerfile's RUN --mount=type=secret,id=pip_cert puts the CA bundle.
CERT_IN_BUILD = "/run/secrets/pip_cert"
# Options that say how to reach an index (pip's long option names).
KEPT = {
    "index-url",
    "extra-index-url",
    "trusted-host",
    "cert",
    "proxy",
    "timeout",
    "default-timeout",
    "retries",
}
LIST_OPTIONS = {"extra-index-url", "trusted-host"}


def pip_settings(listing: str) -> dict[str, str]:
    """Option name to value from `pip config list` lines (key='value'), later lines winning."""
    found: dict[str, str] = {}
    for line in listing.splitlines():
        key, sep, raw = line.partition("=")
        if not sep:
            continue
        name = key.rsplit(".", 1)[-1].strip()
        if name == "default-timeout":
            name = "timeout"
        if name not in KEPT:
            continue
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw.strip()
        found[name] = str(value)
    return found


def build_conf(settings: dict[str, str], *, cert_copied: bool) -> str:
    lines = ["[global]"]
    for name, value in sorted(settings.items()):
        if name == "cert":
            if cert_copied:
                lines.append(f"cert = {CERT_IN_BUILD}")
            continue
        if name in LIST_OPTIONS:
            items = [v for v in value.split() if not v.startswith("file:")]
            if items:
                lines.append(f"{name} = {' '.join(items)}")
        elif name in {"index-url", "proxy"} and value.startswith("file:"):
            continue
        else:
            lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    try:
        listing = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (subprocess.CalledProcessError, OSError):
        listing = ""  # no pip here: the build uses pip's defaults
    settings = pip_settings(listing)
    cert = Path(settings.get("cert", ""))
    cert_copied = bool(settings.get("cert")) and cert.is_file()
    (out / "pip.conf").write_text(build_conf(settings, cert_copied=cert_copied))
    args = ["--secret", f"id=pip_conf,src={out / 'pip.conf'}"]
    if cert_copied:
        shutil.copyfile(cert, out / "pip-cert.pem")
        args += ["--secret", f"id=pip_cert,src={out / 'pip-cert.pem'}"]
    print("\n".join(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
