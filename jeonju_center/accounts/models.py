from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.validators import validate_phone


class User(AbstractUser):
    """Staff and citizens alike. Only what the portal needs is collected (개인정보 최소수집).

    ``name`` is the person's full name as one field (Korean names do not split into first/last the
    Western way); ``first_name``/``last_name`` from Django are left empty.
    """

    name = models.CharField(_("이름"), max_length=50, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    phone = models.CharField(_("휴대전화"), max_length=20, blank=True, validators=[validate_phone])
    dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("거주 행정동"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("주민 대상 강좌의 수강 자격 확인에만 쓰입니다."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_unique_ci"
            ),
        ]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or super().get_full_name()
