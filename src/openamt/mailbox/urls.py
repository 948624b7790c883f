from django.urls import path

from openamt.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("<uuid:public_id>/", views.message_detail, name="detail"),
    path("<uuid:public_id>/dokumente/<int:pk>/", views.document, name="document"),
    path("<uuid:public_id>/antwortanhaenge/<int:pk>/", views.reply_document, name="reply-document"),
]
