// A non-finite activation parameter (0x7F800000 is +inf).
#act = #sffnn.activation<leaky_relu(0x7F800000)>
