from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "jeonju_center.common"
    label = "common"
    verbose_name = _("공통 기준정보")

    def ready(self):
        from .indexes import create_database_extensions
        from .pooler import connect_when_pooled
        from .table_versions import install as install_table_versions

        connect_when_pooled()

        # Once per migrate run (sent for this app only), before the plan executes.
        pre_migrate.connect(create_database_extensions, sender=self, dispatch_uid="common.extensions")
        # After every migrate: each table (new ones included) gets its version sequence and trigger.
        post_migrate.connect(install_table_versions, sender=self, dispatch_uid="common.table_versions")
