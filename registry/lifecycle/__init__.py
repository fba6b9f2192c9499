"""Lifecycle workflows legal staff run every week: clearing campaigns (clearing), filing and review
(filing), validity periods and their sweep (sweep), policy interpretations (interpretations) and the
reports that watch the deadlines (reports). Every status change goes through ``append_event`` so the
change feed and the search outbox are written in the same transaction."""
