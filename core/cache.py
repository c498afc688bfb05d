"""Django's Redis cache, keeping one client per server instead of building one per operation.

Django's client makes a new `redis.Redis` for every get or set, and each builds its table of
response callbacks (some 170 entries): a tenth of a millisecond a call, paid several times on
every page. A `redis.Redis` is safe to share between threads (each command takes a connection
from the pool), and its pool opens new connections in a forked worker, so one per server will do."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
