from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Our scripts are ES modules (.mjs) that import GOV.UK and MOJ Frontend; their import
    # paths must point at the fingerprinted file names too. Django applies its module-import
    # patterns to *.js only, so the same patterns are declared for *.mjs.
    support_js_module_import_aggregation = True

    def __init__(self, *args, **kwargs):
        module_patterns = self._js_module_import_aggregation_patterns[1]
        self.patterns = (*self.patterns, ("*.mjs", module_patterns))
        super().__init__(*args, **kwargs)
