#m = #sffnn.csr<2x2, [[], [], []]>
