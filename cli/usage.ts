/** `gde --help`. */
import { CSV_HEADER } from '../contract/api-schemas';

export const USAGE = `gde: a client of the GuardDuty Enrollment API

Usage:
  gde enroll --account <id> --email <root email> [--regions a,b] [--idempotency-key K] [--wait]
  gde status <enrollmentId> [--wait]
  gde bulk <file.csv> [--regions a,b] [--idempotency-key K] [--wait]
  gde offboard <accountId> [--regions a,b] [--delete-detector] [--idempotency-key K] [--wait]
  gde fleet [check] [--wait]

Where the API is (flags win over the environment):
  --api-url URL    or GDE_API_URL   the stage URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1
                                    (local mode: http://127.0.0.1:3000/v1)
  --api-key KEY    or GDE_API_KEY   the API key (local mode: local-api-key)
  --unsigned       or GDE_UNSIGNED=1  send the API key alone, for a deployment with authorization 'apiKey'.
                                    Otherwise every request is signed (SigV4) with the standard AWS
                                    credential chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE,
                                    SSO, container or instance role (local mode: AKID111111111111 / x)

Commands:
  enroll     Starts enrolling one account. Without --regions the deployment's default regions apply.
             --idempotency-key makes a repeated call start nothing new (1-80 of A-Z a-z 0-9 - _).
  status     Shows an enrollment: its status and, once it has stopped, each region's outcome.
  bulk       Enrolls the accounts of a GuardDuty console CSV (header "${CSV_HEADER}") as one
             batch (POST /enrollments/batch), or one batch per 1000 accounts for a longer file. Each
             line is checked first: a bad account id or email is named by its line and nothing is
             sent. --idempotency-key K (1-40 of A-Z a-z 0-9 - _) keys the batch K, or K-1, K-2, ...
             for several, so running the same command again starts nothing twice. --wait then
             reports every account in every region.
  offboard   Offboards the account (DELETE /enrollments/{accountId}): the administrator removes the
             member and the member leaves the administrator; its detectors keep running unless
             --delete-detector. Without --regions the deployment's default regions apply. Safe to
             repeat: an account that is no member ends OFFBOARDED. Followed like an enrollment.
  fleet      Shows the latest fleet check as a table: members per region counted ENABLED, PENDING,
             DRIFTED and UNMANAGED, then each drifted account with its reason and the action taken.
             "gde fleet check" starts a check (POST /fleet-checks); with --wait it shows it when done.
             Exit 1 when the check did not succeed.

Options:
  --wait           (enroll, status, offboard) follow the enrollment until it stops: a live display on a
                   terminal, plain lines otherwise. Regions show as pending until it stops.
                   (bulk) follow the batches until they stop, then print each account's outcome in
                   each region (with --json: every outcome, with its line in the file).
  --poll-ms N      (with --wait) between status polls; default 2000
  --timeout S      (with --wait) give up waiting after S seconds (the enrollment goes on); default 900
  --json           machine-readable JSON on stdout, nothing else (errors too: {"error": {...}})
  -h, --help       this text

Exit codes:
  0  done: the enrollment (batch) started, or (with --wait / status) every region of every account is
     ENABLED (OFFBOARDED) or it is still running
  1  the API refused the request, a region (of any account, for bulk) FAILED, or the API could not be reached
  2  the command line or the CSV file is wrong (nothing was sent)
  3  --wait gave up while the enrollment (a batch) was still RUNNING
`;
