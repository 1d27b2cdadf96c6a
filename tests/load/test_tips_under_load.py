"""5,000 tips at 32 concurrent clients through gunicorn on PostgreSQL: every receipt is one tip."""

from collections import Counter

import pytest

from bench.tipload import percentile, run_tips
from tips.models import Tip
from tips.receipts import code_hash

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

TIPS = 5000
CLIENTS = 32


def test_5000_tips_at_32_clients_each_receipt_is_exactly_one_stored_tip(
    load_env, start_node, tip_target
):
    obj, path, token = tip_target
    node = start_node(load_env)

    result = run_tips(node.port, path, clients=CLIENTS, total=TIPS, token=token)

    latencies = result.latencies()
    print(
        f"\nload: {result.summary()}; p50 {percentile(latencies, 0.5):.0f} ms,"
        f" p99 {percentile(latencies, 0.99):.0f} ms; stored {Tip.objects.count()}"
    )
    assert not result.client_errors
    assert len(result.outcomes) == TIPS
    assert result.by_status() == {200: TIPS}, "no 5xx, no 4xx: every tip answered with a receipt"
    stored = Counter(Tip.objects.filter(trace_object=obj).values_list("receipt_hash", flat=True))
    hashes = [code_hash(code) for code in result.receipts]
    assert len(set(hashes)) == len(hashes), "receipt codes are unique"
    assert all(stored[h] == 1 for h in hashes), "each receipt matches exactly one stored tip"
    # A POST cut off with its keep-alive connection is sent again with the same form; if the
    # first one was stored the answer is "already received" (the person already has the tip in).
    answered = {o.submission_hash for o in result.outcomes if o.receipt or o.already}
    assert set(Tip.objects.values_list("submission_hash", flat=True)) == answered
    assert Tip.objects.count() == len(hashes) + sum(o.already for o in result.outcomes)
