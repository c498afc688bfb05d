import subprocess
import sys

from django.conf import settings

from tests.production import PRODUCTION_ENV

SCRIPT = """
import django, sys
django.setup()
from django.conf import settings
settings.STATIC_ROOT = sys.argv[1]
# Fingerprinting is what is tested; compressing 1,200 files only takes time.
SKIP = "js mjs css svg map html txt json woff woff2 png ico ttf eot md gif"
settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = SKIP.split()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


def test_production_static_files_fingerprint_module_imports(tmp_path):
    """The deployed pages load app.<hash>.mjs, which must import the fingerprinted vendor files
    (an unhashed import would be cached past an upgrade)."""
    env = {**PRODUCTION_ENV, "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=settings.BASE_DIR, env=env, check=True, timeout=300
    )

    [app] = list((tmp_path / "js").glob("app.*.mjs"))
    imports = [line for line in app.read_text().splitlines() if line.startswith("import")]
    assert len(imports) == 2
    for line in imports:
        assert ".min.js" not in line, line  # each import names a fingerprinted file
        assert (app.parent / line.split('"')[1]).resolve().is_file(), line
