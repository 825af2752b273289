"""Commission accounting under ASC 340-40 (SPEC §7): the schedule, the journal and the workbook."""
from compcalc.accounting.schedule import Accounting, account, policy_table

__all__ = ["Accounting", "account", "policy_table"]
