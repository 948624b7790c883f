from django_tasks import task

from openamt.submissions.constants import JobStatus
from openamt.submissions.delivery import deliver_job
from openamt.submissions.models import DeliveryJob, ReceiptJob
from openamt.submissions.receipt import RECEIPTS


@task()
def deliver_submission(*, submission_id: int) -> None:
    """Deliver a just-accepted application through each of its delivery
    targets, then put its receipt into the applicant's Postfach (the periodic
    `deliver-due` catches whatever fails or is left)."""
    for job_id in DeliveryJob.objects.filter(
        submission_id=submission_id, status=JobStatus.PENDING
    ).values_list("pk", flat=True):
        deliver_job(job_id)
    receipt = ReceiptJob.objects.filter(submission_id=submission_id, status=JobStatus.PENDING)
    for job_id in receipt.values_list("pk", flat=True):
        RECEIPTS.run(job_id)
