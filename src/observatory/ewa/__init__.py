"""Early Warning Advisory on new psychoactive substances."""
