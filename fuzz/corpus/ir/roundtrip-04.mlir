// The array form with dense arrays prints in the inline form.
sffnn.network @array_form(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = sffnn.layer relu(%x) : (tensor<3xf32>) -> tensor<2xf32>
      weights #sffnn.csr<2x3, offsets = dense<[0, 1, 3]> : tensor<3xi64>,
                              indices = dense<[1, 0, 2]> : tensor<3xi32>,
                              values = dense<[0.5, -1.0, 0.25]> : tensor<3xf32>>
  sffnn.return %y : tensor<2xf32>
}
