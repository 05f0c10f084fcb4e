"""Music for the film: composed cues per scene (MIDI + FluidSynth + numpy percussion) and user uploads."""
