"""Run commands where they cannot reach what the build does not give them.

``run(Request(...)) -> Result`` runs one command (a shell block, a diagram render) in fresh user, PID,
network and mount namespaces where the kernel allows it, otherwise with environment-level isolation;
``isolation()`` says which, for the build log. Modules: ``isolation`` (probe), ``environment`` (what the
command sees), ``process`` (limits, Ctrl-C), ``relay`` (live mode's one route), ``inside`` (the sandbox's
first process).
"""

from kubenotes.sandbox.environment import DEAD_END_KUBECONFIG
from kubenotes.sandbox.isolation import Isolation, IsolationUnavailable
from kubenotes.sandbox.isolation import current as isolation
from kubenotes.sandbox.isolation import describe as describe_isolation
from kubenotes.sandbox.process import OUTPUT_CAP, Request, Result, SandboxError, cancel_all, run, run_many
from kubenotes.sandbox.relay import ApiRoute

__all__ = [
    "DEAD_END_KUBECONFIG",
    "OUTPUT_CAP",
    "ApiRoute",
    "Isolation",
    "IsolationUnavailable",
    "Request",
    "Result",
    "SandboxError",
    "cancel_all",
    "describe_isolation",
    "isolation",
    "run",
    "run_many",
]
