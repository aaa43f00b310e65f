"""External link checking for the built site: find every outbound link, check it with LinkChecker (PyPI),
remember successes for a while, and say plainly which links could not be checked.

Internal links and anchors are the strict build's job; this package only looks outside the site.
A link is ``ok`` (checked now or within the cache's age), ``broken`` (the server answered with an error)
or ``unchecked`` (offline, host unreachable, rate-limited): unchecked is never counted as success.
"""

from kubenotes.links.check import LinkReport, Verdict, check_site, exit_code

__all__ = ["LinkReport", "Verdict", "check_site", "exit_code"]
