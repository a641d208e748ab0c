"""Reads for My work and the unit dashboard: every figure, and the list behind each one.

One namespace for callers, one module per concern: `scope` (the units, workers and months in
view), `dashboard` (the figures and their drill-downs), `my_work` (a caseload's visit status).

A figure is one filter over one model (cases, members, contacts, investigations, ...) within
the cases the viewer may see in the units in view, optionally narrowed to one worker. The
dashboard counts every worker at once in one SQL statement (`dashboard_figures`), whatever the
caseload; a drill-down lists the rows with the ORM filters below. Both are written from the
definitions here, and the tests hold every number equal to the length of its list.

Who is credited with what: a worker with the open cases they hold an active assignment on
(primary or secondary, so a shared case counts for both) and those cases' members, the visits
they recorded, the investigations assigned to them, and the approvals they asked for. Unit
totals count each item once, the same way, over all the units' cases.

The federal (CFSR) measure: a child-month is a calendar month in which a child on a case was in
out-of-home care (in_care_since .. in_care_until) while on the case and the case was open. It is
visited when a face-to-face visit on that case saw the child during the month. The share in the
child's residence is taken over all those visits.
"""

from reporting.selectors.dashboard import *  # noqa: F403
from reporting.selectors.home import *  # noqa: F403
from reporting.selectors.my_work import *  # noqa: F403
from reporting.selectors.scope import *  # noqa: F403
