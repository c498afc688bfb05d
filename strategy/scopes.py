"""Which part of the alliance a figure is for: the whole alliance, a force, a community safety
partnership (where councils and partners are held to account) or a district.

"Alliance" means the alliance's own forces: a force configured only for comparison (police.uk
data of a neighbour) is never summed into it.
"""

from dataclasses import dataclass

from django.db.models import Q

from geography.models import Force


@dataclass(frozen=True)
class Scope:
    force: object = None
    partnership: object = None
    area: object = None

    @classmethod
    def of(cls, *, force=None, partnership=None, area=None):
        """The narrowest place given, with the places it lies in filled in."""
        if area is not None:
            return cls(force=area.force, partnership=area.partnership, area=area)
        if partnership is not None:
            return cls(force=partnership.force, partnership=partnership)
        return cls(force=force)

    @property
    def kind(self):
        if self.area is not None:
            return "area"
        if self.partnership is not None:
            return "partnership"
        if self.force is not None:
            return "force"
        return "alliance"

    @property
    def label(self):
        return str(self.area or self.partnership or self.force or "Alliance")

    @property
    def narrowest(self):
        return self.area or self.partnership or self.force

    def fact_filter(self):
        if self.kind == "area":
            return Q(area=self.area)
        if self.kind == "partnership":
            return Q(area__partnership=self.partnership)
        if self.kind == "force":
            return Q(force=self.force)
        return Q(force__in_alliance=True)

    def link_params(self, metric):
        """The list filters that show this scope's records of `metric`."""
        if self.kind == "area":
            return {"area": self.area.pk}
        if self.kind == "partnership":
            return {"partnership": self.partnership.pk}
        if self.kind == "force":
            return {"force": self.force.pk}
        if metric.context_forces:
            return {
                "force": list(
                    Force.objects.filter(in_alliance=True).order_by("pk").values_list("pk", flat=True)
                )
            }
        return {}

    def holds(self, target):
        """Whether `target` is set for exactly this scope (a partnership's target, not one of
        its districts'; a force's, not one of its partnerships')."""
        if self.kind == "area":
            return target.area_id == self.area.pk
        if self.kind == "partnership":
            return target.partnership_id == self.partnership.pk and target.area_id is None
        if self.kind == "force":
            return target.force_id == self.force.pk and not (target.partnership_id or target.area_id)
        return not (target.force_id or target.partnership_id or target.area_id)

    def parts(self):
        """The scopes one level down whose targets add up to this one's when it has none of its
        own: the alliance's forces, a force's partnerships, a partnership's districts. Read once
        for this scope: every card of a dashboard asks."""
        kept = self.__dict__.get("_parts")
        if kept is None:
            kept = self.__dict__["_parts"] = self._parts_read()
        return kept

    def _parts_read(self):
        from geography.models import Area, CommunitySafetyPartnership

        if self.kind == "alliance":
            return [Scope.of(force=force) for force in Force.objects.filter(in_alliance=True)]
        if self.kind == "force":
            return [
                Scope.of(partnership=p) for p in CommunitySafetyPartnership.objects.filter(force=self.force)
            ]
        if self.kind == "partnership":
            return [Scope.of(area=area) for area in Area.objects.filter(partnership=self.partnership)]
        return []
