from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Our scripts are ES modules that import GOV.UK and MOJ Frontend; their import paths
    # must point at the fingerprinted file names too.
    support_js_module_import_aggregation = True
