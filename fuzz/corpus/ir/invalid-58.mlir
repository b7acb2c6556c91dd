#m = #sffnn.csr<1x3000000000, [[]]>
