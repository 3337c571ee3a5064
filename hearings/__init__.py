"""The monthly public-hearings monitoring report of the Ministry of Ecology of Kazakhstan."""
