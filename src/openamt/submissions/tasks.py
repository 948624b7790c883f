from django_tasks import task

from openamt.submissions.constants import JobStatus
from openamt.submissions.delivery import deliver_job
from openamt.submissions.models import DeliveryJob


@task()
def deliver_submission(*, submission_id: int) -> None:
    """Deliver a just-accepted application through each of its channels."""
    for job_id in DeliveryJob.objects.filter(
        submission_id=submission_id, status=JobStatus.PENDING
    ).values_list("pk", flat=True):
        deliver_job(job_id)
