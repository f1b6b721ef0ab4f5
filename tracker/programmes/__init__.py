"""Programme set-up by coordinators: the programme, its themes, context factors and the
deliverables every new pair of the programme owes (its deliverable templates)."""
