"""Policy knowledge: the UNGASS 2016 catalogue, country implementation, good practices, laws and cases, search."""
