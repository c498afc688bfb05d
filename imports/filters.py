import django_filters as filters

from . import registry
from .models import ImportBatch


class ImportBatchFilter(filters.FilterSet):
    record_type = filters.ChoiceFilter(label="Record type", choices=lambda: _type_choices())
    status = filters.ChoiceFilter(choices=ImportBatch.Status.choices)
    q = filters.CharFilter(label="File name", field_name="file_name", lookup_expr="icontains")

    class Meta:
        model = ImportBatch
        fields = []


def _type_choices():
    return [(key, importer.label) for key, importer in sorted(registry.discover().items())]
