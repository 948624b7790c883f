from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Every person who logs in: staff now, Servicekonto holders later.

    A custom model from the first migration so that later modules can add
    to it without a data migration of Django's auth tables.
    """

    email = models.EmailField("E-Mail-Adresse", blank=True)

    class Meta:
        verbose_name = "Benutzer"
        verbose_name_plural = "Benutzer"
