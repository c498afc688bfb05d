"""docker-compose.yml and the proxy and gunicorn configuration it mounts, read as files: there is
no Docker engine to run them, so what a running stack would show is checked here."""

import re
import runpy
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE = Path(settings.BASE_DIR)
NGINX = BASE / "deploy" / "nginx"


def compose(name="docker-compose.yml"):
    return yaml.safe_load((BASE / name).read_text())


def nginx_conf(name="nginx.conf"):
    """The file without its comments."""
    return re.sub(r"#[^\n]*", "", (NGINX / name).read_text())


def directive(text, name):
    """The values of every `name …;` directive in an nginx file."""
    return [value.strip() for value in re.findall(rf"(?m)^\s*{name}\s+([^;]+);", text)]


def mounted(service, target):
    """The repository file a service mounts at `target`."""
    for volume in service.get("volumes", []):
        source, _, rest = volume.partition(":")
        if rest.split(":")[0] == target:
            return BASE / source
    raise AssertionError(f"nothing is mounted at {target}")


def size_in_bytes(value):
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    return int(value[:-1]) * units[value[-1].lower()] if value[-1].isalpha() else int(value)


def test_compose_describes_the_production_like_stack():
    services = compose()["services"]

    assert set(services) == {"proxy", "postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"


def test_every_depends_on_names_a_service_that_exists():
    services = compose()["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_web_worker_and_beat_run_the_same_image():
    services = compose()["services"]
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(images) == 1 and None not in images


def test_only_the_proxy_is_reachable_from_outside():
    services = compose()["services"]

    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    assert services["web"]["expose"] == ["8000"]


def test_the_proxy_is_nginx_from_its_official_image_at_a_fixed_version():
    image = compose()["services"]["proxy"]["image"]

    name, _, tag = image.partition(":")
    assert name == "nginx"
    assert re.match(r"\d+\.\d+", tag), f"{image}: pin a version"


def test_the_proxy_passes_requests_to_the_web_service_the_compose_file_defines():
    services = compose()["services"]
    conf = nginx_conf()

    assert mounted(services["proxy"], "/etc/nginx/nginx.conf") == NGINX / "nginx.conf"
    upstreams = dict(re.findall(r"upstream\s+(\w+)\s*{([^}]*)}", conf))
    assert directive(conf, "proxy_pass") == ["http://portal_web"]
    (server,) = directive(upstreams["portal_web"], "server")
    host, port = server.split()[0].split(":")
    assert host in services
    assert port in services[host]["expose"]
    assert services["web"]["healthcheck"]["test"][-1].startswith(f"http://localhost:{port}/")


def test_the_proxy_reads_its_certificate_from_the_folder_compose_mounts():
    services = compose()["services"]
    conf = nginx_conf()

    assert mounted(services["proxy"], "/etc/nginx/certs") == BASE / "deploy" / "certs"
    assert directive(conf, "ssl_certificate") == ["/etc/nginx/certs/fullchain.pem"]
    assert directive(conf, "ssl_certificate_key") == ["/etc/nginx/certs/privkey.pem"]
    assert "deploy/certs/" in (BASE / ".gitignore").read_text().split()


def test_the_proxy_serves_nothing_itself():
    conf = nginx_conf()

    assert not directive(conf, "root") and not directive(conf, "alias")
    # One location passes to the app; the other, on port 80, only redirects to HTTPS.
    assert directive(conf, "return") == ["301 https://$host$request_uri"]
    assert len(re.findall(r"\blocation\b", conf)) == 2


def test_the_proxy_sets_the_forwarded_headers_and_never_passes_on_the_clients():
    conf = nginx_conf()
    headers = dict(value.split(None, 1) for value in directive(conf, "proxy_set_header"))

    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-Host"] == "$host"
    assert headers["Host"] == "$host"
    assert headers["X-Forwarded-For"] == "$forwarded_for"
    assert directive(conf, "include") == ["/etc/nginx/clients.conf"]


def test_clients_connecting_directly_have_their_x_forwarded_for_replaced_and_one_proxy_is_trusted():
    services = compose()["services"]
    clients = nginx_conf(mounted(services["proxy"], "/etc/nginx/clients.conf").name)

    # Overwritten with the connection's address, not appended to what the client sent.
    assert directive(clients, "set") == ["$forwarded_for $remote_addr"]
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    # The app's other settings still reach the web service beside it.
    assert {"DATABASE_URL", "CELERY_BROKER_URL"} <= set(services["web"]["environment"])


def test_behind_the_load_balancer_the_proxy_appends_and_two_proxies_are_trusted():
    override = compose("docker-compose.load-balancer.yml")["services"]
    clients = nginx_conf(mounted(override["proxy"], "/etc/nginx/clients.conf").name)

    assert directive(clients, "set") == ["$forwarded_for $proxy_add_x_forwarded_for"]
    assert directive(clients, "deny") == ["all"]
    assert directive(clients, "allow"), "the load balancer's address"
    assert override["web"]["environment"] == {"TRUSTED_PROXY_COUNT": "2"}
    assert set(override) <= set(compose()["services"])


def test_the_request_body_cap_is_just_above_the_largest_import():
    (cap,) = directive(nginx_conf(), "client_max_body_size")
    largest = settings.IMPORT_MAX_UPLOAD_BYTES

    assert largest < size_in_bytes(cap) <= largest + 2 * 1024**2


@pytest.fixture(scope="module")
def gunicorn():
    return runpy.run_path(str(BASE / "deploy" / "gunicorn.conf.py"))


def test_gunicorn_listens_where_the_proxy_sends(gunicorn):
    assert gunicorn["bind"] == "0.0.0.0:" + compose()["services"]["web"]["expose"][0]


def test_gunicorn_runs_threaded_workers_with_the_timeouts_in_step_with_the_proxy_and_docker(gunicorn):
    read_timeout = int(directive(nginx_conf(), "proxy_read_timeout")[0].rstrip("s"))
    stop_grace = int(compose()["services"]["web"]["stop_grace_period"].rstrip("s"))

    assert gunicorn["worker_class"] == "gthread"
    assert gunicorn["workers"] >= 2 and gunicorn["threads"] >= 2
    assert gunicorn["graceful_timeout"] < stop_grace
    assert gunicorn["timeout"] >= read_timeout


def test_the_image_and_the_compose_file_start_gunicorn_with_its_configuration():
    dockerfile = (BASE / "Dockerfile").read_text()

    assert '"--config", "deploy/gunicorn.conf.py"' in dockerfile
    assert "gunicorn --config deploy/gunicorn.conf.py" in compose()["services"]["web"]["command"]


def test_secrets_and_the_certificate_stay_out_of_the_image():
    ignored = (BASE / ".dockerignore").read_text().split()

    assert {".env", "deploy/certs/"} <= set(ignored)
