from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "dailypapers.operations"
    label = "operations"
