"""Scale-out transport: the relay to Kafka, consumer loops and the faust processor app."""
